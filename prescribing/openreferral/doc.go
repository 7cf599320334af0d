// Package openreferral exchanges community assets as Open Referral Human
// Services Data Specification (HSDS) 3.1 services, the JSON form of the
// Open Referral UK data standard local directories of services publish.
//
// [ServiceOf] writes a [prescribing.Asset] as a [Service]: its status as
// HSDS names it (active, inactive, defunct, "temporarily closed"), its
// places as a service_capacity in the unit "place" (maximum the places,
// available those free, and when that was updated), its eligibility
// description and languages, and what else the asset's details say (the
// needs it serves, its fee, open access, concessions, accessibility and
// communities) as attributes in the project's taxonomies and a cost
// option, so that [ReadService] rebuilds the same asset: a round trip. An
// open access asset has no capacity to publish, so the people it counts
// are not exchanged.
//
// [ReadService] reads a service a directory publishes. Its errors name the
// field ("service.capacities[0].available") and wrap [ErrInvalidService];
// input is bounded by [MaxInputBytes].
//
// Sources: Open Referral HSDS 3.1 schema (service, service_capacity,
// unit, language, attribute, taxonomy_term, cost_option); Open Referral UK.
package openreferral
