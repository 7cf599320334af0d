// Package holding models link workers becoming the intervention: holding
// episodes, their endpoints and reviews, and the holding picture of a
// caseload.
//
// # Holding in the research's words
//
// The Oxford study of link workers in primary care found that "often link
// workers became the intervention", giving people ongoing support instead
// of, or before, connecting them to community support, for four reasons:
// a lack of community provision to refer to; waiting until the person is
// ready or has capacity to connect; protecting healthcare staff from
// supporting people with non-medical needs; and problems that cannot be
// fixed (Tierney and Mahtani, "Understanding the implementation of link
// workers in primary care in England", study report, University of Oxford,
// 2024; NIHR130247). The published
// paper names what holding does for each: supporting people while they wait
// for services; sustaining people as they prepare for change; reducing the
// emotional burden on primary care staff; bearing witness to distress
// (Westlake et al., "She's been a rock", Health & Social Care in the
// Community 2024). Readiness is motivation plus capacity given the other
// demands in a person's life.
//
// Holding can be cherishing, building up confidence to move forward, or
// static, stopping people from moving forward. The study's public
// involvement group felt holding "may be a necessary part, for some
// patients, of their social prescribing journey, but should be focused
// towards an eventual endpoint, otherwise there was a risk of link workers
// holding patients indefinitely", with dependency in its wake. Holding also
// weighs on link workers: some go beyond their capacity, burn out and leave.
//
// # The endpoint principle in code
//
// No endpoint, no episode: [Begin] needs at least one [Reason], a person, a
// link worker and a planned [Endpoint] after the start, a date and what
// should happen then (rule HOLD-1). Holding for lack of provision names the
// need, can begin straight from what [prescribing.MatchAssets] said of it
// ([BeginForLackOfProvision]), and ends when a place appears
// ([Episode.PlaceAvailable], [FirstWaiting]) (HOLD-2).
//
// Reaching the endpoint needs a [Review] decision: end with an [Ending], or
// extend with a new endpoint and a rationale; deciding outcomes
// (discharged, need resolved, referred to a specialist) are taken only at a
// review (HOLD-3). [Episode.Overdue] flags an episode past its endpoint
// without that review, and [Episode.AtRisk] one extended more times in a row
// than the [Limits] allows (default 3) without readiness or confidence
// rising: at risk of indefinite holding (HOLD-4). Only problems that cannot
// be fixed may have an open endpoint, and only with a supervisor's
// [SignOff] that has its own review date (HOLD-5). Each review records an
// [Ratings] of motivation, capacity and confidence, and [Episode.Class]
// reads cherishing or static holding from their course (HOLD-6).
// [Summarise] gives each link worker's holding picture: open episodes by
// reason, overdue, at risk, median and 90th percentile duration, and the
// share of the caseload in holding (HOLD-7).
//
// Every change is an event of the shared mechanism ([prescribing.Event]):
// [EventKinds] registers them with a [prescribing.EventCodec], each names
// the episode's stream (kind holding_episode, its ID), and replaying them
// into a zero [Episode] rebuilds it, as for every
// [prescribing.StreamRecord]. Times always come from the caller
// and are kept in UTC.
//
// What a live operation accepts, the codec stores and replay rebuilds
// equal: operations and [Episode.Apply] check the same things, refusing
// times outside the years 1 to 9999, free text that is not valid UTF-8 or is
// too long, blank rationales and supervisors, and values outside their
// vocabulary. A refused operation returns the zero event with the error and
// leaves the episode as it was.
//
// An Episode holds no slices or maps, so starting, reviewing and ending one
// does not allocate: the simulation does it millions of times. Episodes are
// plain data: safe to copy (copies share nothing that either changes), not
// to change concurrently.
package holding
