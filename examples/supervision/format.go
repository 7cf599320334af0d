package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/socialprescribing/linkwork/liminality"
)

// writeJSON writes the report as indented JSON.
func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// short returns the first eight characters of an ID: enough to tell the
// rows of one report apart; the JSON form has the whole ID.
func short(id fmt.Stringer) string { return id.String()[:8] }

// writeTable writes the report as a table, one row per link worker, and
// below it the details that do not fit a column: training gaps and
// embeddedness per practice.
func writeTable(w io.Writer, r Report) error {
	fmt.Fprintf(w, "Supervisor's view at %s\n", r.At.Format("2 Jan 2006 15:04 MST"))
	if r.Site != "" {
		fmt.Fprintf(w, "Acts checked against the discretion policy of %q\n", r.Site)
	} else {
		fmt.Fprintln(w, "No site policy in the log: acts are counted, not checked")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LINK WORKER\tPHASE\tPROLONGED\tSUPPORT MISSING\tSUPERVISION\tHOLDING\tAT RISK\tBEYOND POLICY\tTRAINING\tEMBEDDEDNESS")
	for _, wk := range r.Workers {
		o := wk.Liminality
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n",
			short(wk.LinkWorker), phase(o), prolonged(o), missing(o), supervision(o, r.At),
			held(wk.Holding), wk.Holding.AtRisk, beyond(wk.Discretion, r.Site != ""),
			training(o), embedded(wk))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Training gaps")
	for _, wk := range r.Workers {
		o := wk.Liminality
		switch {
		case !o.Training:
			fmt.Fprintf(w, "  %s  no training record\n", short(wk.LinkWorker))
		case len(o.TrainingLacks) == 0:
			fmt.Fprintf(w, "  %s  none\n", short(wk.LinkWorker))
		default:
			fmt.Fprintf(w, "  %s  %s\n", short(wk.LinkWorker), strings.Join(o.TrainingLacks, ", "))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Embeddedness per practice")
	for _, wk := range r.Workers {
		if len(wk.Embeddedness) == 0 {
			fmt.Fprintf(w, "  %s  not assessed\n", short(wk.LinkWorker))
			continue
		}
		for _, p := range wk.Embeddedness {
			fmt.Fprintf(w, "  %s  practice %s: %s (assessed %s)\n", short(wk.LinkWorker), short(p.Practice), p.Position, p.On.Format("2 Jan 2006"))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Prolonged: liminal for more than 6 months in the current spell (LIM-3). It is a flag of its own:")
	fmt.Fprintln(w, "the published intention-to-leave model has no liminality covariate (LIM-6).")
	return nil
}

func prolonged(o liminality.Overview) string {
	switch {
	case !o.Journey:
		return "-"
	case o.Prolonged:
		return "yes"
	}
	return "no"
}

func held(h Holding) string {
	if h.Overdue == 0 {
		return fmt.Sprintf("%d open", h.Open)
	}
	return fmt.Sprintf("%d open (%d review overdue)", h.Open, h.Overdue)
}

func phase(o liminality.Overview) string {
	if !o.Journey {
		return "-"
	}
	return fmt.Sprintf("%s since %s", o.Phase, o.PhaseSince.Format("Jan 2006"))
}

func missing(o liminality.Overview) string {
	switch {
	case !o.Journey || o.Phase != liminality.PhaseLiminal:
		return "-"
	case o.Missing.IsEmpty():
		return "none"
	}
	return strings.ReplaceAll(o.Missing.String(), ", ", "+")
}

func supervision(o liminality.Overview, at time.Time) string {
	switch {
	case !o.Supervised:
		return "none agreed"
	case o.Ended:
		return "ended"
	case o.Overdue:
		return fmt.Sprintf("OVERDUE %dd (every %dd)", int(at.Sub(o.Due).Hours()/24), o.EveryDays)
	}
	return fmt.Sprintf("due %s (every %dd)", o.Due.Format("2 Jan"), o.EveryDays)
}

func beyond(d Discretion, checked bool) string {
	if !checked {
		return fmt.Sprintf("%d acts", d.Acts)
	}
	if d.Beyond == 0 {
		return fmt.Sprintf("0 of %d", d.Acts)
	}
	aspects := make([]string, len(d.BeyondAspect))
	for i, a := range d.BeyondAspect {
		aspects[i] = string(a)
	}
	return fmt.Sprintf("%d of %d (%s)", d.Beyond, d.Acts, strings.Join(aspects, ", "))
}

func training(o liminality.Overview) string {
	if !o.Training {
		return "-"
	}
	return fmt.Sprintf("%.0f%%, %d gaps", 100*o.TrainingShare, len(o.TrainingLacks))
}

func embedded(wk Worker) string {
	if len(wk.Embeddedness) == 0 {
		return "-"
	}
	parts := make([]string, len(wk.Embeddedness))
	for i, p := range wk.Embeddedness {
		parts[i] = p.Position.String()
	}
	return strings.Join(parts, ", ")
}
