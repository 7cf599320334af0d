package simulation

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// SeriesPoint is the state of one replication at one time of its time
// series, after every event at that instant. Day counts from the start of
// the measured window.
type SeriesPoint struct {
	Replication    int     `json:"replication"`
	Day            float64 `json:"day"`
	Waiting        int     `json:"waiting"`
	OpenCases      int     `json:"open_cases"`
	InHolding      int     `json:"in_holding"`
	WorkersPresent int     `json:"workers_present"`
	WorkersLiminal int     `json:"workers_liminal"`
	PlacesInUse    int     `json:"places_in_use"`
}

// SeriesKeys returns the time series' columns in order, as in the CSV
// header of [WriteSeriesCSV].
func SeriesKeys() []string {
	return []string{"replication", "day", "waiting", "open_cases", "in_holding", "workers_present", "workers_liminal", "places_in_use"}
}

// WriteSeriesCSV writes the time series of the results, which [Run] keeps
// when [Options].Series is set: a header and a row per replication and
// time, ordered by replication (the order of results) and then by day.
func WriteSeriesCSV(w io.Writer, results []Result) error {
	b := bufio.NewWriter(w)
	b.WriteString(strings.Join(SeriesKeys(), ",") + "\n")
	for _, r := range results {
		for _, p := range r.Series {
			for i, v := range []string{strconv.Itoa(p.Replication), formatFloat(p.Day), strconv.Itoa(p.Waiting),
				strconv.Itoa(p.OpenCases), strconv.Itoa(p.InHolding), strconv.Itoa(p.WorkersPresent),
				strconv.Itoa(p.WorkersLiminal), strconv.Itoa(p.PlacesInUse)} {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(v)
			}
			b.WriteByte('\n')
		}
	}
	return b.Flush()
}
