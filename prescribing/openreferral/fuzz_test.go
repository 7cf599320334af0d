package openreferral_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/openreferral"
)

// FuzzReadService: any input gives a listing that lists as an asset, or an
// error wrapping a documented sentinel; never a panic. What is read writes
// back and reads again the same.
func FuzzReadService(f *testing.F) {
	for _, d := range []prescribing.AssetDetails{walkingGroup(), {Name: "Lunch club", Needs: []prescribing.Need{prescribing.NeedSocialIsolation}, OpenAccess: true}} {
		a, _, err := prescribing.ListAsset(assetID, d, prescribing.AssetStatusActive, t0)
		if err != nil {
			f.Fatal(err)
		}
		s, err := openreferral.ServiceOf(&a, openreferral.Info{Updated: t0, Eligibility: "Adults"})
		if err != nil {
			f.Fatal(err)
		}
		data, _ := json.Marshal(s)
		f.Add(data)
	}
	f.Add([]byte(`{"id":"ac148810-d857-441c-9679-408f346de14b","name":"x","status":"active","capacities":[{"unit":{"name":"place"},"available":1e308,"maximum":1e308}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := openreferral.ReadService(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, openreferral.ErrInvalidService) && !errors.Is(err, openreferral.ErrTooLarge) {
				t.Fatalf("error wraps no documented sentinel: %v", err)
			}
			return
		}
		a, _, err := l.List(t0)
		if err != nil {
			t.Fatalf("a listing read does not list: %v", err)
		}
		s, err := openreferral.ServiceOf(&a, l.Info)
		if err != nil {
			if l.Info.Updated.IsZero() && !l.Details.OpenAccess {
				return
			}
			t.Fatalf("the asset does not write back: %v", err)
		}
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		again, err := openreferral.ReadService(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("what was written does not read: %v", err)
		}
		if again.Status != l.Status || again.InUse != l.InUse || again.Details.Places != l.Details.Places {
			t.Fatalf("round trip changed the asset: %+v, then %+v", l, again)
		}
	})
}
