// Package linkwork models social prescribing in NHS primary care as typed,
// tested rules that service tools and simulations can import.
//
// # Social prescribing and link workers
//
// Social prescribing connects people to non-medical support for what affects
// their health and wellbeing: loneliness, low mood, housing, debt, caring,
// bereavement. A GP, nurse, pharmacist, hospital discharge team, the person
// themselves or many other routes refer them to a link worker (locally also
// social prescriber, community connector, wellbeing advisor, community
// navigator): non-clinical staff employed by a primary care network (PCN), a
// voluntary, community and social enterprise (VCSE) organisation or a local
// authority, who give people time, focus on "what matters to me", co-produce
// a plan and connect them to community assets such as a walking group or
// debt advice (NHS England social prescribing guidance).
//
// The library draws on qualitative research by the Oxford social prescribing
// team, which found four things that shape whether the role works:
//
//   - Holding. Link workers often become the intervention, giving ongoing
//     support because there is no community provision to refer to, the person
//     is not yet ready or able to connect, to protect primary care staff from
//     non-medical needs, or because the problem cannot be fixed. Holding can
//     be cherishing (building confidence to move on) or static (keeping people
//     where they are); public involvement groups judged it necessary for some
//     people but only when aimed at an eventual endpoint (Westlake et al.,
//     "She's been a rock", Health & Social Care in the Community 2024).
//   - Embeddedness. How integrated a link worker is in a practice runs from
//     bolted on, through fitting in, to belonging, which needs adjustment by
//     both sides; explained by centralising or diffusing power, forging an
//     identity in general practice, demonstrating effect, and building a
//     facilitative infrastructure (Tierney et al., "Bolting on, fitting in or
//     belonging", BJGP 2025).
//   - Micro-discretions. Actions and advice link workers give on their own
//     judgement in everyday interactions with patients and staff, which can
//     build buy-in and person-centred care but, with weak boundaries, put link
//     workers at risk and may widen inequalities (Tierney et al., HSDR 2024,
//     doi 10.3310/JSQY9840).
//   - Liminality. Entering the role, link workers can be stuck "betwixt and
//     between" (Turner, after van Gennep's rites of passage): unsure where they
//     belong and what they should do. With support from managers, peers,
//     supervision and training they pass through; prolonged liminality is
//     linked to leaving (Tierney, Moore et al., Primary Health Care Research &
//     Development 2025; BJGP Open 2025, 342 link workers).
//
// # Packages
//
// The module is laid out one concept to a package; the concept packages
// import prescribing and never each other, and the simulation imports them
// all. Packages arrive as they are built:
//
//   - [github.com/socialprescribing/linkwork/prescribing]: the core. Typed IDs
//     and an injectable ID source; patients, whose personal details are
//     redacted from every log and can be anonymised; practices, PCNs and link
//     workers; referrals and their lifecycle as a typed transition table, with
//     FHIR R4 Task statuses, SNOMED CT codes and the message back to the GP;
//     contacts, caseload against NHS England guidance, safeguarding and
//     consent; community assets and matching that explains itself; ONS4 and
//     SWEMWBS outcome measures; and the event mechanism every package records
//     its changes through, with a JSON codec and replay.
//   - [github.com/socialprescribing/linkwork/holding]: holding episodes with
//     reasons, planned endpoints, reviews that must end or extend them,
//     overdue and at-risk detection, cherishing or static holding, and the
//     holding picture of each link worker's caseload.
//   - [github.com/socialprescribing/linkwork/embeddedness]: positions on the
//     continuum per practice, assessments against indicators tied to the four
//     concepts, the adjustment rule for belonging, trajectories, and
//     inappropriate referrals as a sign the role is not understood.
//   - [github.com/socialprescribing/linkwork/discretion]: micro-discretions
//     recorded with their motive, site policies on the five-point sliding
//     scale, checking acts against them, and an equity report over groups of
//     patients.
//   - [github.com/socialprescribing/linkwork/liminality]: link workers'
//     journeys through separation, liminality and incorporation, the
//     support that carries them through, prolonged liminality, intention to
//     leave from the published odds ratios, and training coverage.
//   - [github.com/socialprescribing/linkwork/simulation]: a seeded, parallel
//     discrete-event engine and the reference model of a PCN's service,
//     built from the packages above.
//
// Runnable programs live under examples/: go run ./examples/simulation runs
// the reference model (the main job), and go run ./examples/quickstart
// follows one referral from the GP to the message back.
//
// # Conventions
//
// Every change takes the time from the caller (there is no hidden clock);
// randomness comes from a seeded math/rand/v2 generator the caller owns, so
// the same seed gives the same bytes. Bad input is an error wrapping a
// documented sentinel, never a panic, and a refused change returns the zero
// event and changes nothing. What a live operation accepts, the event codec
// stores and replay rebuilds equal: times are in the years 1 to 9999, free
// text is valid UTF-8 of at most 4096 bytes, numbers are finite, and every
// enumeration value is one of its vocabulary's. Domain values are plain
// data: a copy shares no memory that either copy changes, so copies are
// independent, but one value must not be changed from several goroutines
// at once. The rules of docs/rules.md carry IDs (REF-1, PRIV-1, ...) and the
// tests are named after them.
//
// # Names
//
// A name means one thing across the packages, and the research's word wins:
// holding is what the holding package models, so a referral waiting for
// capacity is put on hold ([prescribing.Referral.PutOnHold]); a referral's
// [prescribing.Outcome] is how it closed, a holding episode's
// [holding.Ending] how it ended, and a link worker's [liminality.Intention]
// their intention to leave; [prescribing.SupportPlan] and
// [prescribing.CommunitySupport] are the person's plan and the community
// support in it, [holding.EndpointPlan] what should happen at an
// endpoint, and [liminality.RoleSupport] the support a link worker gets in
// their role. Every enumeration is a typed integer starting at 1, and its
// constants carry the type's name as their prefix
// ([embeddedness.PositionBelonging], [holding.ReasonLackOfProvision],
// [prescribing.StateOnHold]); its text, JSON and database forms come from
// one [prescribing.Vocabulary].
package linkwork
