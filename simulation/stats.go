package simulation

import "math"

// StudentT returns the p-quantile of Student's t distribution with df
// degrees of freedom: the t such that a draw falls at or below it with
// probability p. It is NaN when p is not strictly between 0 and 1 or df is
// not positive; df may be fractional, and +Inf gives the normal quantile.
//
// The distribution function is the regularized incomplete beta function
// (Abramowitz and Stegun 26.7.1), evaluated by its continued fraction, and
// the quantile is found by bisection to the last bit of a float64: plain
// and exact enough for confidence intervals (StudentT(0.975, 10) is
// 2.228138852 to all the digits tables give).
func StudentT(p, df float64) float64 {
	if !(p > 0 && p < 1) || !(df > 0) {
		return math.NaN()
	}
	if math.IsInf(df, 1) {
		return math.Sqrt2 * math.Erfinv(2*p-1)
	}
	if p == 0.5 {
		return 0
	}
	if p < 0.5 {
		return -StudentT(1-p, df)
	}
	// Bracket the quantile, then halve the bracket until it cannot shrink.
	lo, hi := 0.0, 1.0
	for studentTCDF(hi, df) < p {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 1) {
			return hi
		}
	}
	for range 2000 {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if studentTCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// studentTCDF returns P(T <= t) for t >= 0 with df degrees of freedom.
func studentTCDF(t, df float64) float64 {
	return 1 - 0.5*regIncBeta(df/(df+t*t), df/2, 0.5)
}

// regIncBeta returns the regularized incomplete beta function I_x(a, b).
func regIncBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	// The continued fraction converges fast for x < (a+1)/(a+b+2); use the
	// symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(x, a, b) / a
	}
	return 1 - front*betaFraction(1-x, b, a)/b
}

// betaFraction evaluates the continued fraction of the incomplete beta
// function by the modified Lentz method.
func betaFraction(x, a, b float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 1000; m++ {
		fm := float64(m)
		even := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		odd := -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		var step float64
		for _, num := range [2]float64{even, odd} {
			d = 1 + num*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + num/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			step = d * c
			h *= step
		}
		if math.Abs(step-1) < 1e-16 {
			break
		}
	}
	return h
}

// Estimate is the mean of n values with its 95% confidence interval, from
// Student's t distribution with n-1 degrees of freedom: Low and High are
// mean ∓ t(0.975, n-1) × SD/√n. With fewer than two values the interval is
// unknown (NaN).
type Estimate struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Estimated returns the mean of xs and its 95% confidence interval.
func Estimated(xs []float64) Estimate {
	e := Estimate{N: len(xs), Low: math.NaN(), High: math.NaN(), SD: math.NaN()}
	if len(xs) == 0 {
		e.Mean = math.NaN()
		return e
	}
	for _, x := range xs {
		e.Mean += x
	}
	e.Mean /= float64(len(xs))
	if len(xs) < 2 {
		return e
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - e.Mean) * (x - e.Mean)
	}
	e.SD = math.Sqrt(ss / float64(len(xs)-1))
	half := StudentT(0.975, float64(len(xs)-1)) * e.SD / math.Sqrt(float64(len(xs)))
	e.Low, e.High = e.Mean-half, e.Mean+half
	return e
}
