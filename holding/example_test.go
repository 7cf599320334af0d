package holding_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Example follows one holding episode: matching finds no room at the only
// befriending group, so the link worker holds the person, reviews twice, and
// the episode ends when a place appears.
func Example() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(8, 8)))
	day := func(d int) time.Time { return time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, d) }

	group, _, _ := prescribing.ListAsset(prescribing.NewID[prescribing.Asset](ids), prescribing.AssetDetails{
		Name: "Befriending group", Needs: []prescribing.Need{prescribing.NeedSocialIsolation}, Places: 1,
	}, prescribing.AssetStatusActive, day(0))
	if _, err := group.TakePlace(prescribing.ReferralID{}, day(0)); err != nil {
		panic(err)
	}
	m, _ := prescribing.MatchAssets(prescribing.Profile{Needs: []prescribing.Need{prescribing.NeedSocialIsolation}},
		[]prescribing.Asset{group})
	unmet := m.Unmet()[0]
	fmt.Println("matching:", unmet.Need, unmet.Provision)

	ep, _, err := holding.BeginForLackOfProvision(holding.Start{
		ID:         prescribing.NewID[holding.Episode](ids),
		Patient:    prescribing.NewID[prescribing.Patient](ids),
		LinkWorker: prescribing.NewID[prescribing.LinkWorker](ids),
		At:         day(1),
		Endpoint:   holding.Endpoint{At: day(29), Plan: holding.EndpointPlanConnect, Asset: group.ID()},
	}, unmet)
	if err != nil {
		panic(err)
	}
	fmt.Println("holding for:", ep.Reasons(), "- "+holding.ReasonLackOfProvision.Function())

	// A review before the endpoint may carry on.
	if _, err := ep.Review(holding.Review{At: day(14), Decision: holding.DecisionContinue,
		Ratings: holding.Ratings{Motivation: 6, Capacity: 5, Confidence: 3}}); err != nil {
		panic(err)
	}
	// At the endpoint the review must decide: here, extend with a rationale.
	if _, err := ep.Review(holding.Review{At: day(29), Decision: holding.DecisionExtend,
		Ratings:   holding.Ratings{Motivation: 7, Capacity: 6, Confidence: 5},
		Endpoint:  holding.Endpoint{At: day(57), Plan: holding.EndpointPlanConnect, Asset: group.ID()},
		Rationale: "still no place; confidence growing at weekly calls"}); err != nil {
		panic(err)
	}
	fmt.Println("after two reviews:", ep.Class(), "extensions", ep.Extensions(), "overdue", ep.Overdue(day(40)))

	// A place frees up and goes to the person.
	if _, err := group.ReleasePlace(prescribing.ReferralID{}, day(44)); err != nil {
		panic(err)
	}
	if _, ok, err := ep.PlaceAvailable(prescribing.NeedSocialIsolation, group.ID(), day(44)); err != nil || !ok {
		panic(err)
	}
	_, outcome, _ := ep.Ended()
	fmt.Printf("ended: %s after %.0f days\n", outcome, ep.Duration(day(44)).Hours()/24)
	// Output:
	// matching: social_isolation full
	// holding for: lack_of_provision - supporting people while they wait for services
	// after two reviews: cherishing extensions 1 overdue false
	// ended: connected after 43 days
}

// ExampleEpisode_Review_refused shows a refusal: an extension whose
// rationale is not valid UTF-8 (JSON would store it changed) is refused with
// an error that says why, the event returned is the zero value, so nothing
// is appended to the store, and the episode is as it was.
func ExampleEpisode_Review_refused() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(9, 9)))
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	ep, _, err := holding.Begin(holding.Start{
		ID:         prescribing.NewID[holding.Episode](ids),
		Patient:    prescribing.NewID[prescribing.Patient](ids),
		LinkWorker: prescribing.NewID[prescribing.LinkWorker](ids),
		Reasons:    prescribing.SetOf(holding.ReasonAwaitingReadiness),
		At:         start,
		Endpoint:   holding.Endpoint{At: start.AddDate(0, 0, 28), Plan: holding.EndpointPlanReview},
	})
	if err != nil {
		panic(err)
	}
	before := ep
	ev, err := ep.Review(holding.Review{At: ep.Due(), Decision: holding.DecisionExtend,
		Endpoint:  holding.Endpoint{At: ep.Due().AddDate(0, 0, 28), Plan: holding.EndpointPlanReview},
		Rationale: "not ready \xff"})
	fmt.Println(errors.Is(err, prescribing.ErrInvalidText))
	fmt.Println(ev == holding.Reviewed{}, ep == before)
	// Output:
	// true
	// true true
}
