package simulation

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Result holds the results of one replication, with the JSON keys of the
// model's description in its order. Counts count what happened in the
// measured window (after the warm-up); means are over what completed in it,
// and means over nothing are 0; "at end" is at the window's end.
type Result struct {
	Replication            int     `json:"replication"`
	Seed                   uint64  `json:"seed"`
	Referrals              int     `json:"referrals"`
	RejectedInappropriate  int     `json:"rejected_inappropriate"`
	Declined               int     `json:"declined"`
	BriefInterventions     int     `json:"brief_interventions"`
	Connected              int     `json:"connected"`
	DischargedUnconnected  int     `json:"discharged_unconnected"`
	Disengaged             int     `json:"disengaged"`
	OpenAtEnd              int     `json:"open_at_end"`
	MeanWaitFirstContact   float64 `json:"mean_wait_first_contact_days"`
	HoldingEpisodesStarted int     `json:"holding_episodes_started"`
	HoldingEpisodesEnded   int     `json:"holding_episodes_ended"`
	MeanHoldingDays        float64 `json:"mean_holding_days"`
	HoldingOpenAtEnd       int     `json:"holding_open_at_end"`
	MeanOpenHoldingAge     float64 `json:"mean_open_holding_age_days"`
	ExtendedShare          float64 `json:"extended_share"`
	HeldAwaitingReadiness  int     `json:"held_awaiting_readiness"`
	HeldLackOfProvision    int     `json:"held_lack_of_provision"`
	Supported              int     `json:"supported"`
	Contacts               int     `json:"contacts"`
	MeanContactsSupported  float64 `json:"mean_contacts_supported"`
	PeoplePerWorkerYear    float64 `json:"people_per_worker_year"`
	LWIncorporated         int     `json:"lw_incorporated"`
	LWDepartures           int     `json:"lw_departures"`
	VacancyDays            float64 `json:"vacancy_days"`
	MeanWaitingList        float64 `json:"mean_waiting_list"`
	Events                 int     `json:"events"`

	// Series is the replication's time series when [Options].Series asks
	// for it; it is not one of the results' keys (see [WriteSeriesCSV]).
	Series []SeriesPoint `json:"-"`
}

// keyed returns the indexes of Result's fields that have a key, in order.
func keyed() []int {
	t := reflect.TypeFor[Result]()
	var out []int
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("json") != "-" {
			out = append(out, i)
		}
	}
	return out
}

// Keys returns the result keys in order, as in JSON and the CSV header.
func Keys() []string {
	t := reflect.TypeFor[Result]()
	var out []string
	for _, i := range keyed() {
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, k)
	}
	return out
}

// values returns the result's values as text, in key order: integers as
// they are, other numbers with up to 6 decimals.
func (r Result) values() []string {
	v := reflect.ValueOf(r)
	var out []string
	for _, i := range keyed() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			out = append(out, formatFloat(f.Float()))
		case reflect.Uint64:
			out = append(out, strconv.FormatUint(f.Uint(), 10))
		default:
			out = append(out, strconv.FormatInt(f.Int(), 10))
		}
	}
	return out
}

func formatFloat(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)
}

// WriteJSON writes one JSON object per result per line.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes a header and one row per result.
func WriteCSV(w io.Writer, results []Result) error {
	var b strings.Builder
	b.WriteString(strings.Join(Keys(), ",") + "\n")
	for _, r := range results {
		b.WriteString(strings.Join(r.values(), ",") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable writes a readable summary: with one replication its values;
// with several, the mean, standard deviation, minimum and maximum of each
// result over them.
func WriteTable(w io.Writer, scenario string, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	keys := Keys()
	fmt.Fprintf(tw, "scenario %s, %d replication(s)\t\n", scenario, len(results))
	if len(results) == 1 {
		vals := results[0].values()
		for i, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t\n", k, vals[i])
		}
		return tw.Flush()
	}
	fmt.Fprintf(tw, "result\tmean\tsd\tmin\tmax\t\n")
	vals := make([][]string, len(results))
	for j, r := range results {
		vals[j] = r.values()
	}
	for i, k := range keys[2:] {
		xs := make([]float64, len(results))
		for j := range results {
			xs[j], _ = strconv.ParseFloat(vals[j][i+2], 64)
		}
		mean, sd, lo, hi := describe(xs)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", k, formatFloat(mean), formatFloat(sd), formatFloat(lo), formatFloat(hi))
	}
	return tw.Flush()
}

// describe returns the mean, sample standard deviation, minimum and maximum.
func describe(xs []float64) (mean, sd, lo, hi float64) {
	if len(xs) == 0 {
		return 0, 0, 0, 0
	}
	lo, hi = xs[0], xs[0]
	for _, x := range xs {
		mean += x
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	mean /= float64(len(xs))
	if len(xs) > 1 {
		for _, x := range xs {
			sd += (x - mean) * (x - mean)
		}
		sd = math.Sqrt(sd / float64(len(xs)-1))
	}
	return mean, sd, lo, hi
}
