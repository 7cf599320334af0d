package simulation

import "math/rand/v2"

// Streams gives a replication its own independent random streams, one per
// name, all derived from the run's seed and the replication number alone:
// replication r of seed S draws the same numbers whatever other
// replications run, in any order, on any machine. Keeping a stream per
// purpose (arrivals, contacts, the workforce) means a change to how one part
// of a model draws leaves the others' numbers as they were.
//
// Streams is not safe for concurrent use; each replication owns its own.
type Streams struct {
	seed, replication uint64
}

// NewStreams returns the streams of replication r of a run seeded with seed.
func NewStreams(seed, replication uint64) Streams {
	return Streams{seed: seed, replication: replication}
}

// Stream returns a new generator for the named stream. The same name always
// gives the same sequence for the same seed and replication.
func (s Streams) Stream(name string) *rand.Rand {
	h := uint64(14695981039346656037) // FNV-1a of the name
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(splitmix(s.seed^splitmix(h)), splitmix(s.replication+0x9e3779b97f4a7c15*h)))
}

// splitmix is SplitMix64's finaliser: it spreads nearby inputs far apart.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
