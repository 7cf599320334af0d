package openreferral_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/openreferral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The property: random sequences of operations on a community asset, valid
// and hostile, each followed by a round trip through HSDS: the service
// written reads back as the same details, status and places in use (open
// access assets publish no capacity), and a refused operation returns the
// zero event and changes nothing. At the end the kept events go through the
// event codec and replay into an asset that writes the same service, byte
// for byte.

type assetRun struct {
	t        *testing.T
	r        *rand.Rand
	now      time.Time
	a        prescribing.Asset
	kept     []prescribing.Event
	accepted int
}

func (p *assetRun) text() string {
	valid := []string{"Riverside walking group", "Zoë's café", "pl", "en", "Somali", "<tea & chat>", strings.Repeat("é", 2048)}
	hostile := []string{"", "  ", "bad \xff", "nul\x00", strings.Repeat("x", prescribing.MaxTextBytes+1)}
	if p.r.IntN(4) > 0 {
		return valid[p.r.IntN(len(valid))]
	}
	return hostile[p.r.IntN(len(hostile))]
}

func (p *assetRun) at() time.Time {
	switch p.r.IntN(16) {
	case 0:
		return p.now.Add(-time.Minute)
	case 1:
		return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		return p.now.In(time.FixedZone("UTC-3", -3*3600))
	}
	p.now = p.now.Add(time.Duration(p.r.IntN(48)) * time.Hour)
	return p.now
}

func (p *assetRun) details() prescribing.AssetDetails {
	d := prescribing.AssetDetails{Name: p.text(), Places: p.r.IntN(8) - 1, FeePence: p.r.IntN(600) - 50,
		Concessions: p.r.IntN(2) == 0, CulturallySpecific: p.r.IntN(3) == 0,
		Access: prescribing.Accessibility{StepFree: p.r.IntN(2) == 0, Online: p.r.IntN(2) == 0,
			OnlineOnly: p.r.IntN(5) == 0, CompanionWelcome: p.r.IntN(2) == 0, TransportProvided: p.r.IntN(3) == 0}}
	for range p.r.IntN(3) {
		d.Needs = append(d.Needs, prescribing.Need(p.r.IntN(14)))
	}
	for range p.r.IntN(3) {
		d.Languages = append(d.Languages, p.text())
	}
	for range p.r.IntN(2) {
		d.Communities = append(d.Communities, p.text())
	}
	if p.r.IntN(3) == 0 {
		d.OpenAccess, d.Places = true, 0
	}
	return d
}

func (p *assetRun) step() {
	before := p.a
	var e prescribing.Event
	var err error
	keep := func(ev prescribing.Event, er error) { e, err = ev, er }
	switch n := p.r.IntN(10); {
	case n < 4:
		keep(p.a.TakePlace(prescribing.ReferralID{}, p.at()))
	case n < 6:
		keep(p.a.ReleasePlace(prescribing.ReferralID{}, p.at()))
	case n < 8:
		keep(p.a.Update(p.details(), p.at()))
	default:
		keep(p.a.SetStatus(prescribing.AssetStatus(p.r.IntN(6)), p.at()))
	}
	if err != nil {
		require.True(p.t, reflect.ValueOf(e).IsZero(), "a refusal returns the zero event: %v", err)
		require.Equal(p.t, before, p.a, "a refusal changes nothing: %v", err)
		return
	}
	p.accepted++
	p.kept = append(p.kept, e)
}

// service writes the asset and checks it reads back.
func (p *assetRun) service() []byte {
	t := p.t
	s, err := openreferral.ServiceOf(&p.a, openreferral.Info{Eligibility: "Adults", Updated: p.now})
	require.NoError(t, err)
	data, err := json.Marshal(s)
	require.NoError(t, err)
	l, err := openreferral.ReadService(bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, p.a.ID(), l.Asset)
	require.Equal(t, p.a.Details(), l.Details)
	require.Equal(t, p.a.Status(), l.Status)
	if !p.a.Details().OpenAccess {
		require.Equal(t, p.a.InUse(), l.InUse)
		again, _, err := l.List(p.now)
		require.NoError(t, err)
		require.Equal(t, p.a.HasRoom(), again.HasRoom())
	}
	return data
}

func TestPropertyServicesRoundTripAndReplayWritesTheSame(t *testing.T) {
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	require.NoError(t, err)
	total := 0
	for seed := range uint64(200) {
		p := &assetRun{t: t, r: rand.New(rand.NewPCG(seed, 7)), now: t0}
		d := walkingGroup()
		d.Places = 1 + p.r.IntN(5)
		a, listed, err := prescribing.ListAsset(prescribing.IDFromUUID[prescribing.Asset](
			[16]byte{byte(seed), byte(seed >> 8), 1, 2, 3, 4, 0x40, 5, 0x80, 6, 7, 8, 9, 10, 11, 12}), d, prescribing.AssetStatusActive, t0)
		require.NoError(t, err)
		p.a, p.kept = a, []prescribing.Event{listed}
		for range 60 {
			p.step()
			p.service()
		}
		total += p.accepted
		live := p.service()

		var stream bytes.Buffer
		require.NoError(t, codec.Encode(&stream, p.kept))
		decoded, err := codec.Decode(&stream)
		require.NoError(t, err)
		var again prescribing.Asset
		require.NoError(t, prescribing.Replay(&again, decoded))
		require.Equal(t, p.a, again, "seed %d", seed)
		p.a = again
		require.Equal(t, string(live), string(p.service()), "seed %d", seed)
	}
	assert.Greater(t, total, 200*10, "sequences go on past their first refusals")
	t.Log(fmt.Sprintf("%d operations accepted", total))
}
