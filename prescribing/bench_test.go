package prescribing

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// BenchmarkTransition measures one referral transition: an in-support
// referral goes on hold and back, alternately. Target: under 200 ns and no
// allocation.
func BenchmarkTransition(b *testing.B) {
	f := newFixture(b)
	r, _ := f.referralIn(StateInSupport)
	at := r.UpdatedAt()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		at = at.Add(time.Minute)
		var err error
		if i%2 == 0 {
			_, err = r.PutOnHold(at, "waiting for a place")
		} else {
			_, err = r.Resume(at)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordContact measures recording one contact on a referral in
// support, with a new seeded ID for each: the commonest change a service
// or the simulation makes. A referral keeps its contacts' IDs (ANCHOR-1),
// so each is a fresh referral after 64 contacts, as a person has tens.
func BenchmarkRecordContact(b *testing.B) {
	f := newFixture(b)
	start, _ := f.referralIn(StateInSupport)
	ids := SeededIDs(rand.New(rand.NewPCG(1, 2)))
	r, at := start, start.UpdatedAt()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%64 == 0 {
			r = start
		}
		at = at.Add(time.Minute)
		if _, err := r.RecordContact(Contact{ID: NewID[Contact](ids), At: at, Mode: ContactModeTelephone, Minutes: 20, Attended: true}, ContactRules{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplay measures rebuilding referrals from their histories, in
// events per second. Target: at least 2 million events per second.
func BenchmarkReplay(b *testing.B) {
	f := newFixture(b)
	const referrals = 1000
	histories := make([][]Event, referrals)
	events := 0
	for i := range histories {
		_, histories[i], _ = f.story()
		events += len(histories[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, h := range histories {
			var r Referral
			if err := Replay(&r, h); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events*b.N), "ns/event")
}

// BenchmarkEventDecode measures reading stored events from JSON Lines, the
// step before replay when histories come from storage.
func BenchmarkEventDecode(b *testing.B) {
	f := newFixture(b)
	codec := mustCodec(b)
	var all []Event
	for range 100 {
		_, h, _ := f.story()
		all = append(all, h...)
	}
	var buf bytes.Buffer
	if err := codec.Encode(&buf, all); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := codec.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(all)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMatchAssets measures ranking 10,000 community assets for one
// person with two needs and three barriers. Target: under 5 ms.
func BenchmarkMatchAssets(b *testing.B) {
	f := newFixture(b)
	rng := rand.New(rand.NewPCG(9, 9))
	langs := []string{"en", "pl", "ur", "so", "ro", "pa"}
	statuses := []AssetStatus{AssetStatusActive, AssetStatusActive, AssetStatusActive, AssetStatusActive, AssetStatusInactive, AssetStatusTemporarilyClosed, AssetStatusDefunct}
	assets := make([]Asset, 10_000)
	for i := range assets {
		d := AssetDetails{
			Name:      "asset " + strconv.Itoa(i),
			Needs:     []Need{Needs()[rng.IntN(12)], Needs()[rng.IntN(12)]},
			Places:    rng.IntN(20),
			FeePence:  []int{0, 0, 300, 500}[rng.IntN(4)],
			Languages: []string{"en", langs[rng.IntN(len(langs))]},
			Access:    Accessibility{StepFree: rng.IntN(2) == 0, CompanionWelcome: rng.IntN(3) == 0},
		}
		if d.Places == 0 {
			d.OpenAccess = true
		}
		assets[i], _ = f.asset(b, d, statuses[rng.IntN(len(statuses))])
	}
	p := Profile{Needs: []Need{NeedSocialIsolation, NeedMoney},
		Barriers: []Barrier{BarrierLanguage, BarrierMoney, BarrierConfidence}, Languages: []string{"pl"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := MatchAssets(p, assets)
		if err != nil || len(m.Candidates) == 0 {
			b.Fatal(err)
		}
	}
}
