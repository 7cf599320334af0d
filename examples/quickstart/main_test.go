package main

import "os"

// Example runs the quickstart and checks its whole output: the referral's
// steps, the codes recorded, the message back to the GP, and the replay.
func Example() {
	if err := run(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// 02 Mar  referral.received          received
	// 03 Mar  referral.transitioned      accepted
	// 08 Mar  referral.transitioned      contacted
	// 08 Mar  referral.contact_recorded  contacted
	// 08 Mar  referral.transitioned      in-support
	// 15 Mar  referral.contact_recorded  in-support
	// 22 Mar  referral.transitioned      connected
	// 31 May  referral.transitioned      closed
	//
	// SNOMED CT at first contact: 871731000000106 Referral to social prescribing service
	// FHIR Task status now: completed
	//
	// Social prescribing: message back to the GP and referrer
	// Person seen: patient e0a207a9-c0a1-4b7c-9a1e-ac154c545fe4
	// Referred by: GP (Dr Patel) on 2 March 2026
	// Seen by link worker: df28210b-87cf-4ee6-a9ae-1ba6e18c9e68, first contact 8 March 2026
	// Contacts: 2 recorded, 2 attended
	// Needs identified: social isolation, bereavement
	// Support offered: Riverside walking group (social isolation), Cruse bereavement support (bereavement)
	// Support taken up: Riverside walking group (social isolation)
	// Outcome measures (before -> after):
	//   SWEMWBS: 17.43 -> 21.54 (+4.11)
	// Outcome: connected and benefited, closed 31 May 2026
	//
	// Replayed 8 events: referral cb0b9bf3-247b-4afc-9208-5c4c975706f0 (closed)
}
