package prescribing

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// Fuzz targets guard every parser and decoder: none may panic, and whatever
// they accept must survive its own round trip.

func FuzzParseNHSNumber(f *testing.F) {
	for _, s := range []string{"943 476 5919", "9434765919", "943-476-5919", "", "943 476 591x", "0000000000", "９４３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNHSNumber(s)
		if err != nil {
			if !n.IsZero() {
				t.Fatalf("error %v with a non-zero number", err)
			}
			return
		}
		again, err := ParseNHSNumber(n.Grouped())
		if err != nil || again != n {
			t.Fatalf("%q parsed but its grouped form does not: %v", s, err)
		}
		if _, ok := nhsCheckDigit(n.d[:9]); !ok {
			t.Fatalf("%q accepted with an impossible check digit", s)
		}
	})
}

func FuzzIDUnmarshalText(f *testing.F) {
	for _, s := range []string{"6ba7b810-9dad-41d1-80b4-00c04fd430c8", "", "{6ba7b810-9dad-41d1-80b4-00c04fd430c8}", "xyz"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var id ReferralID
		if err := id.UnmarshalText(b); err != nil {
			return
		}
		text, err := id.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back ReferralID
		if err := back.UnmarshalText(text); err != nil || back != id {
			t.Fatalf("%q: round trip gave %v, %v", b, back, err)
		}
		var scanned ReferralID
		if err := scanned.Scan(b); err != nil && len(b) != 16 {
			t.Fatalf("Scan refused what UnmarshalText took: %v", err)
		}
	})
}

func FuzzVocabularyUnmarshalText(f *testing.F) {
	for _, s := range []string{"in-support", "social_isolation", "gp", "", "unset", "closed\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range enumCases() {
			v := c.fresh()
			if err := v.UnmarshalText(b); err != nil {
				continue
			}
			text, err := deref(v).(enum).MarshalText()
			if err != nil || !bytes.Equal(text, b) {
				t.Fatalf("%s: %q read but written as %q (%v)", c.name, b, text, err)
			}
		}
	})
}

func FuzzScoreAndDetailsUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`12.5`, `null`, `"x"`, `{}`, `{"nhs_number":"9434765919","given_name":"A"}`, `[`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Score
		if json.Unmarshal(b, &s) == nil {
			out, err := json.Marshal(s)
			if err != nil {
				t.Fatalf("score %q read but not written: %v", b, err)
			}
			var back Score
			if err := json.Unmarshal(out, &back); err != nil || back != s {
				t.Fatalf("score %q: round trip %v", b, err)
			}
		}
		var d PersonalDetails
		if json.Unmarshal(b, &d) == nil {
			out, err := d.ExportJSON()
			if err != nil {
				t.Fatal(err)
			}
			var back PersonalDetails
			if err := json.Unmarshal(out, &back); err != nil || !back.DateOfBirth.Equal(d.DateOfBirth) || back.NHSNumber != d.NHSNumber {
				t.Fatalf("details %q: round trip %v", b, err)
			}
		}
	})
}

func FuzzEventUnmarshal(f *testing.F) {
	codec := mustCodec(f)
	for _, e := range everyEvent(f) {
		b, err := codec.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"referral.received","event":{"needs":["money",7]}}`))
	f.Add([]byte(`{"type":"x"}`))
	f.Add([]byte(`{"type":"patient.anonymised","version":2,"event":{}}`))
	f.Add([]byte(`{"type":"patient.anonymised","version":0,"event":{}}`))
	f.Add([]byte(`{"type":"patient.anonymised","version":"1","event":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		// What decodes must encode, decode to the same bytes again, and be
		// safe to apply to any record.
		out, e, err := codec.Canonical(b)
		if err != nil {
			return
		}
		if again, _, err := codec.Canonical(out); err != nil || !bytes.Equal(out, again) {
			t.Fatalf("the canonical form does not hold:\n%s\n%s (%v)", out, again, err)
		}
		var r Referral
		_ = r.Apply(e)
		var p Patient
		_ = p.Apply(e)
	})
}

func FuzzMeasuresUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`{"life_satisfaction":7,"worthwhile":null,"happiness":3,"anxiety":10}`,
		`{"items":[1,2,3,4,5,null,1]}`, `{"items":[1,2,3,4,5,1,1,1]}`, `{"anxiety":11}`, `{"happiness":6.5}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var o ONS4
		if json.Unmarshal(b, &o) == nil {
			if err := o.Validate(); err != nil {
				t.Fatalf("ONS4 %q decoded but invalid: %v", b, err)
			}
			for _, item := range ONS4Items() {
				if s := o.Answer(item); s.Known() {
					if _, ok := o.Band(item); !ok {
						t.Fatalf("ONS4 %q: answered %s has no band", b, item)
					}
				}
			}
		}
		var w SWEMWBS
		if json.Unmarshal(b, &w) == nil {
			if err := w.Validate(); err != nil {
				t.Fatalf("SWEMWBS %q decoded but invalid: %v", b, err)
			}
			if raw, ok := w.Raw(); ok && (raw < 7 || raw > 35) {
				t.Fatalf("SWEMWBS %q: raw %d outside 7-35", b, raw)
			}
			if w.Complete() != w.Metric().Known() {
				t.Fatalf("SWEMWBS %q: complete and metric disagree", b)
			}
		}
	})
}

func FuzzAssetAndConsentDecoding(f *testing.F) {
	for _, s := range []string{
		`{"name":"Lunch club","needs":["social_isolation"],"places":3,"languages":["en","pl"]}`,
		`{"name":"x","needs":[],"open_access":true,"places":2}`,
		`{"name":"x","needs":["money"],"access":{"online_only":true}}`,
		`["money","housing"]`, `[3]`, `{"needs":"money"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d AssetDetails
		if json.Unmarshal(b, &d) == nil && d.Validate() == nil {
			a, _, err := ListAsset(NewID[Asset](RandomIDs()), d, AssetStatusActive, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("valid details %q not listed: %v", b, err)
			}
			if _, err := MatchAssets(Profile{Needs: d.Needs, Barriers: Barriers(), Languages: d.Languages}, []Asset{a}); err != nil {
				t.Fatalf("matching %q: %v", b, err)
			}
		}
		var needs NeedSet
		if json.Unmarshal(b, &needs) == nil {
			for _, n := range needs.List() {
				if !n.IsValid() {
					t.Fatalf("set %q holds invalid need %d", b, n)
				}
			}
		}
		var scope ConsentScope
		_ = scope.UnmarshalText(b)
	})
}
