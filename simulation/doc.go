// Package simulation is a seeded, parallel discrete-event engine and the
// reference model of a primary care network's social prescribing service
// (docs/model.md), built from the domain packages.
//
// # The engine
//
// An [Engine] takes events of a type the model chooses, in time order, ties
// in the order they were scheduled. There is no goroutine per process and
// no global state: a model keeps its own state, handles each event as it
// comes, and schedules what follows with [Engine.At] or [Engine.After];
// [Engine.Cancel] takes back an event that should no longer happen. Events
// a model schedules in time order anyway (a fixed delay, or a process with
// one event pending at a time) can go in a [Lane], a plain queue that saves
// the heap's work and takes nothing from the order.
//
// Randomness comes from [Streams]: one generator per named purpose, derived
// from the run's seed and the replication number alone, so replication r of
// seed S draws the same numbers on any machine, in any order, alongside any
// other replications. To write a new model: define an event type, keep the
// model's state in a struct with an Engine and the streams it needs,
// schedule the first events, and call [Engine.Run] with a handler (see the
// package example).
//
// # Experiments
//
// [Replicate] runs the replications of any model on the engine, in
// parallel, and hands their results on in order as they finish, seeded per
// replication from the run's seed and the replication's number, over a
// grid of arms that share their seeds (common random numbers, so arms are
// paired), split over machines by a [Shard], and stopped cleanly by a
// context. A result lists its columns ([Row], [Column]); [CSVWriter] and
// [JSONWriter] write rows with their arm's parameters before them (tidy
// data), and [Summary] gives each measured column's mean with its 95%
// confidence interval (Student's t, [StudentT]) per arm and, for two arms,
// their paired difference. [Record] takes a time series as the engine
// runs. The package example is a small model built on them;
// docs/researchers.md is a guide with a worked study.
//
// # The reference model
//
// [Run] runs replications of the reference model in parallel and returns
// their [Result]s ordered by replication; output is the same whatever the
// parallelism or the shard. [Sweep] runs arms of several scenarios and
// hands results on as they come, and [Scenario.Set] changes one key by its
// dotted name. [Hooks] replace the model's choices a study may vary
// (which link worker takes the next case, the decision at a holding
// review, when readiness arrives); left nil they are the reference rules,
// byte for byte. [Embedded] gives the pcn, region and national
// scenarios and [LoadScenario] reads a file of keys to override on the
// embedded scenario it names as its base (pcn by default). Results are
// taken over a measured window after a warm-up; with [Options].Series each
// replication also keeps a time series ([WriteSeriesCSV]).
// Every scenario value is bounded (the table is in [Scenario.Validate]),
// and so is a run as a whole (see [Run]): a run either finishes in bounded
// time and memory or is refused, naming the key, before anything is
// simulated. A replication that fails comes back from [Run] as an error
// naming its replication and seed, never as a crash of the caller.
//
// The model is built from the domain types, not a parallel toy world: each
// case is a [prescribing.Referral] moving through its lifecycle (received;
// rejected when inappropriate; accepted on assignment and reassigned after
// a transfer; contacted or declined at first contact; in-support, connected
// and closed), each holding episode is a [holding.Episode] with its
// endpoint, reviews and outcome, each post's worker is a
// [liminality.Journey], posts carry [embeddedness.Position]s, and the
// community places of each need are a [prescribing.Asset].
//
// Where docs/model.md is silent the model chooses, and says so here:
//
//   - Support starts at the first ever contact, offering the need's
//     community provision; that offer is what the message back to the GP
//     names for a case closed without a connection.
//   - A discharged case closes with outcome "other", a disengaged one with
//     "disengaged", a followed-up one with "connected and benefited".
//   - Reviews record a zero assessment of readiness and confidence: the
//     model does not simulate them, so holding classes are not meaningful
//     in its output.
//   - A liminal worker's journey notes the ambiguity theme; incorporation
//     records supervision (supervised posts) or peer support against it, as
//     the liminality package requires support before incorporation. Posts
//     that start incorporated do not count in lw_incorporated.
//   - A need is drawn by its weight among the needs with positive weight,
//     in vocabulary order; a need without provision has no places.
//   - A review and a disengagement due at the same instant happen in the
//     order they were scheduled.
//   - events counts the events the engine took within the horizon;
//     cancelled events do not count.
//   - Means over nothing (no first contact, no ended episode) are 0.
//   - A brief intervention starts support with an offer of information,
//     advice and signposting on the need, and closes at once with the
//     outcome "needs met without connection": the message back to the GP
//     names what was offered.
//   - Every contact the model counts is recorded on its referral
//     ([prescribing.Referral.RecordContact]), at its own time: first
//     contacts at the practice, the others by telephone. A case closed
//     because its link worker left while it awaited follow-up has no
//     follow-up contact.
//   - A departures entry is one event, however many workers it takes.
//   - Time series points are taken while k*series_days is at most
//     horizon_days plus 1e-9 days, the slack of the contact count, so that
//     a horizon of a whole number of intervals ends with a point whatever
//     the rounding.
//
// A replication's state is its own; nothing is shared between them, so they
// run in parallel safely. [Scenario] values are plain data.
package simulation
