package simulation

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
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

// Row returns the result's columns in key order: replication and seed
// identify it, every other column is measured ([Column].Measure).
// Integers are written as they are, other numbers with at most 6
// decimals.
func (r Result) Row() []Column {
	v := reflect.ValueOf(r)
	keys := Keys()
	out := make([]Column, 0, len(keys))
	for j, i := range keyed() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			out = append(out, Measured(keys[j], f.Float()))
		case reflect.Uint64:
			out = append(out, Label(keys[j], strconv.FormatUint(f.Uint(), 10)))
		default:
			out = append(out, Count(keys[j], int(f.Int())))
		}
	}
	out[0].Measure = false // the replication's number
	return out
}

func formatFloat(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)
}

// WriteJSON writes one JSON object per result per line ([JSONWriter]):
// the keys in order, numbers with at most 6 decimals.
func WriteJSON(w io.Writer, results []Result) error {
	jw := NewJSONWriter(w)
	for _, r := range results {
		if err := jw.Write(r.Row()); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes a header and one row per result ([CSVWriter]).
func WriteCSV(w io.Writer, results []Result) error {
	b := bufio.NewWriter(w)
	cw := NewCSVWriter(b)
	if len(results) == 0 {
		if err := cw.header(Keys()); err != nil {
			return err
		}
	}
	for _, r := range results {
		if err := cw.Write(r.Row()); err != nil {
			return err
		}
	}
	return b.Flush()
}

// WriteTable writes a readable summary ([Summary.WriteTable]): per result
// the number of replications, the mean and its 95% confidence interval.
func WriteTable(w io.Writer, scenario string, results []Result) error {
	s := NewSummary(nil)
	for _, r := range results {
		if err := s.Add(0, r.Replication, r.Row()); err != nil {
			return err
		}
	}
	return s.WriteTable(w, fmt.Sprintf("scenario %s, %d replication(s)", scenario, len(results)))
}
