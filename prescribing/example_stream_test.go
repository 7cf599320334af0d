package prescribing_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// A mixed log of events splits by the stream each names; each stream
// rebuilds its record from the record's zero value. The patient's record
// and their consents share the patient's ID but are two streams.
func ExampleStream() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(7, 7)))
	patient := prescribing.NewID[prescribing.Patient](ids)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	p, registered, _ := prescribing.RegisterPatient(patient, prescribing.PracticeID{}, prescribing.PersonalDetails{}, at)
	c, opened, _ := prescribing.OpenConsents(patient, at)
	given, _ := c.Give(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, at.Add(time.Hour))
	risk, _ := p.RecordRiskAssessment(at.Add(2*time.Hour), prescribing.NewID[prescribing.LinkWorker](ids))

	streams := map[prescribing.Stream][]prescribing.Event{}
	for _, e := range []prescribing.Event{registered, opened, given, risk} {
		streams[e.EventStream()] = append(streams[e.EventStream()], e)
	}
	var rebuilt prescribing.Consents
	if err := prescribing.Replay(&rebuilt, streams[c.Stream()]); err != nil {
		panic(err)
	}
	fmt.Println(len(streams), c.Stream().Kind, rebuilt.Version(), p.Stream().Kind, p.Version())
	fmt.Println(rebuilt.Current(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, at.Add(time.Hour)))

	s, err := prescribing.ParseStream("referral/1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	fmt.Println(s.Kind, err)
	// Output:
	// 2 consents 2 patient 2
	// true
	// referral <nil>
}

// A program that stored events in an older form registers upcasters when it
// builds its codec. Here a hypothetical version 1 of "patient.anonymised"
// named its time "when"; the program reads it as the current version.
func ExampleEventKind_WithUpcaster() {
	kinds := prescribing.EventKinds()
	for i, k := range kinds {
		if k.Type() == "patient.anonymised" {
			kinds[i] = k.WithVersion(2).WithUpcaster(1, func(body []byte) ([]byte, error) {
				var v1 map[string]json.RawMessage
				if err := json.Unmarshal(body, &v1); err != nil {
					return nil, err
				}
				v1["at"] = v1["when"]
				delete(v1, "when")
				return json.Marshal(v1)
			})
		}
	}
	codec, err := prescribing.NewEventCodec(kinds...)
	if err != nil {
		panic(err)
	}
	e, err := codec.Unmarshal([]byte(`{"type":"patient.anonymised","version":1,"event":` +
		`{"patient":"1b4e28ba-2fa1-41d2-883f-0016d3cca427","when":"2026-03-02T09:00:00Z"}}`))
	fmt.Println(e.EventTime().Format(time.DateOnly), err)
	_, err = codec.Unmarshal([]byte(`{"type":"patient.anonymised","version":3,"event":{}}`))
	fmt.Println(err)
	// Output:
	// 2026-03-02 <nil>
	// unknown event schema version: patient.anonymised at version 3 is newer than this program reads (version 2)
}
