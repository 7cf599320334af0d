"""An equivalent SimPy implementation of version 2 of linkwork's reference
model (docs/model.md), written apart from the Go simulation: for a
side-by-side speed comparison and as an independent implementation whose
results are compared with the Go one's in distribution (its own random
numbers, so not byte for byte). It is not part of the Go module and no test
runs it.

Setup (reproducible): SimPy comes from Debian's package, for Debian's own
Python, so run it with /usr/bin/python3:

    apt-get install python3-simpy3        # SimPy 3.0.11 on Debian 12
    /usr/bin/python3 -c 'import simpy'    # check

Usage:

    /usr/bin/python3 examples/simulation/simpy/model.py [SCENARIO] [--seed S]
        [--replications N] [--series FILE]

SCENARIO is pcn (the default, with the values of the model's table) or a
JSON file of keys over pcn. To run exactly the scenario the Go command
runs, give it the effective scenario the Go command prints:

    go run ./examples/simulation -scenario region -print-scenario > /tmp/region.json
    /usr/bin/python3 examples/simulation/simpy/model.py /tmp/region.json

It prints one JSON object per replication per line with the Go command's
result keys, in the same order, and with --series writes the time series
as CSV. The seconds each replication took go to standard error. The one
result that does not compare is events: SimPy's own count of events
handled by the model, which differs from the Go engine's by construction.
"""
import argparse
import heapq
import json
import math
import random
import sys
import time
from collections import deque

import simpy

NEEDS = ["social_isolation", "mental_wellbeing", "money", "housing", "physical_activity", "other"]


def pcn():
    """The pcn scenario of the model's parameter table, with the Go keys."""
    return {
        "warmup_days": 180, "horizon_days": 730, "link_workers": 10, "referrals_per_worker_year": 250,
        "referral_surges": [], "departures": [], "caseload_cap": 60,
        "embeddedness": {"bolted_on": 0.3, "fitting_in": 0.5, "belonging": 0.2},
        "inappropriate_share": {"bolted_on": 0.20, "fitting_in": 0.10, "belonging": 0.04},
        "needs": dict(zip(NEEDS, [0.30, 0.25, 0.15, 0.10, 0.10, 0.10])),
        "provision": {n: {"places_per_worker": p, "stay_days": d}
                      for n, p, d in zip(NEEDS, [6, 3, 1, 0.5, 3, 2], [90, 60, 30, 120, 60, 60])},
        "first_contact_days": 5, "decline_share": 0.12, "brief_share": 0.45, "ready_share": 0.6,
        "readiness_days": 42, "review_days": 28, "max_extensions": 3, "endpoint_policy": "enforced",
        "disengage_days": 180, "contact_interval_days": 14, "follow_up_days": 28, "supervised_share": 0.4,
        "incorporation_days_supervised": 90, "incorporation_days_unsupervised": 240,
        "leave_days_liminal": 540, "leave_days_incorporated": 1460, "vacancy_days": 90,
        "initial_incorporated_share": 0.5, "series_days": 30,
    }


def load(name):
    s = pcn()
    if name == "pcn":
        return s
    with open(name) as f:
        over = json.load(f)
    if over.get("base", "pcn") != "pcn":
        sys.exit("model.py: give the effective scenario (-print-scenario), not one built on " + over["base"])
    over.pop("base", None)
    for k, v in over.items():
        if k not in s:
            sys.exit("model.py: unknown key " + k)
        if k in ("embeddedness", "inappropriate_share", "needs"):
            s[k] = dict(s[k], **v)
        elif k == "provision":
            for need, p in v.items():
                s[k][need] = dict(s[k].get(need, {"places_per_worker": 0, "stay_days": 0}), **p)
        else:
            s[k] = v
    s["embeddedness"]["belonging"] = 1 - s["embeddedness"]["bolted_on"] - s["embeddedness"]["fitting_in"]
    return s


RESULT_KEYS = [
    "replication", "seed", "referrals", "rejected_inappropriate", "declined", "brief_interventions", "connected",
    "discharged_unconnected", "disengaged", "open_at_end", "mean_wait_first_contact_days",
    "holding_episodes_started", "holding_episodes_ended", "mean_holding_days", "holding_open_at_end",
    "mean_open_holding_age_days", "extended_share", "held_awaiting_readiness", "held_lack_of_provision",
    "supported", "contacts", "mean_contacts_supported", "people_per_worker_year", "lw_incorporated",
    "lw_departures", "vacancy_days", "mean_waiting_list", "events",
]
SERIES_KEYS = ["replication", "day", "waiting", "open_cases", "in_holding", "workers_present", "workers_liminal",
               "places_in_use"]


def rnd(x):
    """Round half away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


class Case:
    __slots__ = ("arrival", "need", "post", "ready", "contacted", "supported", "episode", "follow_up", "open",
                 "proc", "ep_start", "ext", "reasons", "ep_gen", "contacts")

    def __init__(self, arrival, need):
        self.arrival, self.need, self.post = arrival, need, -1
        self.ready = self.contacted = self.supported = self.episode = self.follow_up = False
        self.open = True
        self.proc = None  # the pending first contact or follow-up
        self.ep_start, self.ext, self.reasons, self.ep_gen = 0.0, 0, set(), 0
        self.contacts = 0


class Model:
    def __init__(self, s, seed, replication):
        self.s, self.env = s, simpy.Environment()
        self.rng = random.Random("%d/%d" % (seed, replication))
        self.w0 = s["warmup_days"]
        self.w1 = s["warmup_days"] + s["horizon_days"]
        L = s["link_workers"]
        self.L = L
        self.base_rate = L * s["referrals_per_worker_year"] / 365
        self.enforced = s["endpoint_policy"] == "enforced"

        # Posts: three independent shuffles of 0..L-1.
        def shuffled():
            order = list(range(L))
            self.rng.shuffle(order)
            return order

        emb, inap = s["embeddedness"], s["inappropriate_share"]
        b, f = rnd(emb["bolted_on"] * L), rnd(emb["fitting_in"] * L)
        self.inap = [0.0] * L
        for i, p in enumerate(shuffled()):
            self.inap[p] = inap["bolted_on"] if i < b else inap["fitting_in"] if i < b + f else inap["belonging"]
        self.supervised = [False] * L
        for p in shuffled()[:rnd(s["supervised_share"] * L)]:
            self.supervised[p] = True
        starts_incorporated = set(shuffled()[:rnd(s["initial_incorporated_share"] * L)])

        # Needs with positive weight, drawn by weight.
        self.needs = [n for n in NEEDS + sorted(set(s["needs"]) - set(NEEDS)) if s["needs"].get(n, 0) > 0]
        self.cum, total = [], 0.0
        for n in self.needs:
            total += s["needs"][n]
            self.cum.append(total)
        prov = s["provision"]
        self.places = [rnd(prov.get(n, {}).get("places_per_worker", 0) * L) for n in self.needs]
        self.stay = [prov.get(n, {}).get("stay_days", 0) for n in self.needs]
        self.in_use = [0] * len(self.needs)
        self.waiters = [[] for _ in self.needs]  # heaps of (episode start, seq, case id, case, episode gen)
        self.seq = 0

        self.present = [True] * L
        self.n_present = L
        self.liminal = [p not in starts_incorporated for p in range(L)]
        self.tenure = [None] * L  # each present worker's process
        self.post_heap = [(0, p) for p in range(L)]
        self.cases_of = [[] for _ in range(L)]
        self.waiting = deque()
        self.open_cases = 0
        self.in_holding = 0

        self.r = {k: 0 for k in RESULT_KEYS}
        self.sums = dict(wait=0.0, waits=0, hold=0.0, extended=0, contacts_closed=0, closed_supported=0,
                         waiting_area=0.0, present_area=0.0, vacant_area=0.0)
        self.last = 0.0
        self.series = []
        self.next_k = 0

        for p in range(L):
            self.tenure[p] = self.env.process(self.worker(p, p in starts_incorporated))
        self.env.process(self.arrivals())
        for d in s["departures"]:
            self.env.process(self.departure(d["day"], d["count"]))

    # --- bookkeeping -----------------------------------------------------

    def exp(self, m):
        return self.rng.expovariate(1 / m) if m > 0 else 0.0

    def in_window(self):
        return self.w0 <= self.env.now <= self.w1

    def tick(self):
        """Called first by every event: records the series points passed and
        integrates the waiting list and the workers present over the window."""
        now = self.env.now
        self.record_series(before=now)
        a, b = max(self.last, self.w0), min(now, self.w1)
        if b > a:
            self.integrate(b - a)
        self.last = now
        self.r["events"] += 1

    def integrate(self, d):
        self.sums["waiting_area"] += len(self.waiting) * d
        self.sums["present_area"] += self.n_present * d
        self.sums["vacant_area"] += (self.L - self.n_present) * d

    def record_series(self, before):
        """Records each series point earlier than before: the state after every
        event at that instant is the state now, before this event."""
        while True:
            t = self.w0 + self.next_k * self.s["series_days"]
            if t >= before or t > self.w1:
                return
            self.series.append([self.next_k * self.s["series_days"], len(self.waiting), self.open_cases,
                                self.in_holding, self.n_present,
                                sum(1 for p in range(self.L) if self.present[p] and self.liminal[p]),
                                sum(self.in_use)])
            self.next_k += 1

    def count(self, key, n=1):
        if self.in_window():
            self.r[key] += n

    def add_contacts(self, case, n=1):
        case.contacts += n
        self.count("contacts", n)

    def enter_support(self, case):
        if not case.supported:
            case.supported = True
            self.count("supported")

    # --- arrivals ----------------------------------------------------------

    def rate(self, t):
        r = self.base_rate
        for sg in self.s["referral_surges"]:
            if sg["from_day"] <= t < sg["to_day"]:
                r *= sg["multiplier"]
        return r

    def next_boundary(self, t):
        bs = [x for sg in self.s["referral_surges"] for x in (sg["from_day"], sg["to_day"]) if x > t]
        return min(bs) if bs else math.inf

    def arrivals(self):
        while True:
            # A Poisson process of piecewise constant rate: spend one Exp(1)
            # of integrated rate, segment by segment.
            t, e = self.env.now, self.rng.expovariate(1)
            while True:
                r, b = self.rate(t), self.next_boundary(t)
                if r > 0 and t + e / r < b:
                    t += e / r
                    break
                if b == math.inf:
                    return
                e -= r * (b - t)
                t = b
            yield self.env.timeout(t - self.env.now)
            self.tick()
            self.count("referrals")
            p = self.rng.randrange(self.L)
            u = self.rng.random() * self.cum[-1]
            need = next((i for i, c in enumerate(self.cum) if u < c), len(self.cum) - 1)
            if self.rng.random() < self.inap[p]:
                self.count("rejected_inappropriate")
                continue
            self.waiting.append(Case(self.env.now, need))
            self.open_cases += 1
            self.assign()

    # --- assignment ----------------------------------------------------------

    def best_post(self):
        # A lazy heap of (open cases, post): entries whose count is stale are
        # skipped, as an efficient SimPy model would do.
        h, cap = self.post_heap, self.s["caseload_cap"]
        while h:
            n, p = h[0]
            if not self.present[p] or n != len(self.cases_of[p]) or n >= cap:
                heapq.heappop(h)
                continue
            return p
        return None

    def touch(self, p):
        if self.present[p] and len(self.cases_of[p]) < self.s["caseload_cap"]:
            heapq.heappush(self.post_heap, (len(self.cases_of[p]), p))

    def assign(self):
        while self.waiting:
            best = self.best_post()
            if best is None:
                return
            case = self.waiting.popleft()
            case.post = best
            self.cases_of[best].append(case)
            self.touch(best)
            case.proc = self.env.process(self.first_contact(case))

    # --- the case's path -------------------------------------------------------

    def first_contact(self, case):
        try:
            yield self.env.timeout(self.exp(self.s["first_contact_days"]))
        except simpy.Interrupt:
            return
        self.tick()
        case.proc = None
        self.add_contacts(case)
        if not case.contacted:
            case.contacted = True
            if self.in_window():
                self.sums["wait"] += self.env.now - case.arrival
                self.sums["waits"] += 1
            if self.rng.random() < self.s["decline_share"]:
                self.count("declined")
                self.close(case)
                return
            if self.rng.random() < self.s["brief_share"]:
                self.count("brief_interventions")
                self.close(case)
                return
            if self.rng.random() < self.s["ready_share"]:
                case.ready = True
            else:
                self.env.process(self.readiness(case))
        if case.ready and self.in_use[case.need] < self.places[case.need]:
            self.connect(case)
        else:
            self.start_episode(case, "awaiting_readiness" if not case.ready else "lack_of_provision")

    def readiness(self, case):
        yield self.env.timeout(self.exp(self.s["readiness_days"]))
        self.tick()
        if not case.open:
            return
        case.ready = True
        if case.episode:
            if self.in_use[case.need] < self.places[case.need]:
                self.add_contacts(case)  # a connection outside a first contact
                self.connect(case)
            else:
                case.reasons.add("lack_of_provision")
                self.seq += 1
                heapq.heappush(self.waiters[case.need], (case.ep_start, self.seq, id(case), case, case.ep_gen))

    def start_episode(self, case, reason):
        case.episode, case.ep_start, case.ext, case.reasons = True, self.env.now, 0, {reason}
        case.ep_gen += 1
        self.in_holding += 1
        self.count("holding_episodes_started")
        self.enter_support(case)
        gen = case.ep_gen
        self.env.process(self.review(case, gen))
        self.env.process(self.disengage(case, gen, self.exp(self.s["disengage_days"])))
        if case.ready:
            self.seq += 1
            heapq.heappush(self.waiters[case.need], (case.ep_start, self.seq, id(case), case, gen))

    def end_episode(self, case):
        case.episode = False
        case.ep_gen += 1
        self.in_holding -= 1
        d = self.env.now - case.ep_start
        self.add_contacts(case, int(math.floor(d / self.s["contact_interval_days"] + 1e-9)))
        if self.in_window():
            self.r["holding_episodes_ended"] += 1
            self.sums["hold"] += d
            self.sums["extended"] += case.ext > 0
            self.r["held_awaiting_readiness"] += "awaiting_readiness" in case.reasons
            self.r["held_lack_of_provision"] += "lack_of_provision" in case.reasons

    def review(self, case, gen):
        while True:
            yield self.env.timeout(self.s["review_days"])
            if not (case.open and case.episode and case.ep_gen == gen):
                return
            self.tick()
            if self.enforced and case.ext >= self.s["max_extensions"]:
                self.end_episode(case)
                self.count("discharged_unconnected")
                self.close(case)
                return
            case.ext += 1

    def disengage(self, case, gen, delay):
        yield self.env.timeout(delay)
        if case.open and case.episode and case.ep_gen == gen:
            self.tick()
            self.end_episode(case)
            self.count("disengaged")
            self.close(case)

    def connect(self, case):
        if case.episode:
            self.end_episode(case)
        self.enter_support(case)
        self.in_use[case.need] += 1
        self.env.process(self.stay_in_place(case.need))
        self.count("connected")
        case.follow_up = True
        case.proc = self.env.process(self.follow_up(case))

    def stay_in_place(self, need):
        yield self.env.timeout(self.exp(self.stay[need]))
        self.tick()
        self.in_use[need] -= 1
        h = self.waiters[need]
        while h:
            _, _, _, case, gen = heapq.heappop(h)
            if case.open and case.episode and case.ep_gen == gen and case.ready:
                self.add_contacts(case)  # a connection outside a first contact
                self.connect(case)
                return

    def follow_up(self, case):
        try:
            yield self.env.timeout(self.s["follow_up_days"])
        except simpy.Interrupt:
            return
        self.tick()
        case.proc = None
        self.add_contacts(case)
        self.close(case)

    def close(self, case, assign=True):
        case.open = False
        self.open_cases -= 1
        if case.supported and self.in_window():
            self.sums["closed_supported"] += 1
            self.sums["contacts_closed"] += case.contacts
        if case.post >= 0:
            self.cases_of[case.post].remove(case)
            self.touch(case.post)
        if assign:
            self.assign()

    # --- link workers ------------------------------------------------------

    def worker(self, p, incorporated):
        """One worker's tenure at post p, until they leave of their own
        accord; a forced departure interrupts it."""
        s = self.s
        try:
            if not incorporated:
                inc = self.exp(s["incorporation_days_supervised"] if self.supervised[p]
                               else s["incorporation_days_unsupervised"])
                leave = self.exp(s["leave_days_liminal"])
                if inc < leave:
                    yield self.env.timeout(inc)
                    self.tick()
                    self.count("lw_incorporated")
                    self.liminal[p] = False
                    incorporated = True
                else:
                    yield self.env.timeout(leave)
            if incorporated:
                yield self.env.timeout(self.exp(s["leave_days_incorporated"]))
        except simpy.Interrupt:
            return
        self.tick()
        self.leave(p)

    def leave(self, p):
        self.tenure[p] = None
        self.count("lw_departures")
        back = []
        for case in list(self.cases_of[p]):
            if case.follow_up:
                case.proc.interrupt()
                self.close(case, assign=False)
                continue
            if case.episode:
                self.end_episode(case)
            elif case.proc is not None:
                case.proc.interrupt()
                case.proc = None
            case.post = -1
            back.append(case)
        self.cases_of[p] = []
        for case in sorted(back, key=lambda c: c.arrival, reverse=True):
            self.waiting.appendleft(case)
        self.present[p] = False
        self.n_present -= 1
        self.env.process(self.vacancy(p))
        self.assign()

    def vacancy(self, p):
        yield self.env.timeout(self.s["vacancy_days"])
        self.tick()
        self.present[p], self.liminal[p] = True, True
        self.n_present += 1
        self.tenure[p] = self.env.process(self.worker(p, False))
        self.touch(p)
        self.assign()

    def departure(self, day, count):
        yield self.env.timeout(day)
        self.tick()
        present = [p for p in range(self.L) if self.present[p]]
        for p in self.rng.sample(present, min(count, len(present))):
            self.tenure[p].interrupt()
            self.leave(p)

    # --- the run -----------------------------------------------------------

    def run(self, replication, seed):
        env = self.env
        env.run(until=self.w1)
        # Events at exactly the window's end belong to it.
        while env.peek() == self.w1:
            env.step()
        self.env_now_end()
        r, sm = self.r, self.sums
        r["replication"], r["seed"] = replication, seed
        r["open_at_end"] = self.open_cases
        r["mean_wait_first_contact_days"] = sm["wait"] / sm["waits"] if sm["waits"] else 0
        ended = r["holding_episodes_ended"]
        r["mean_holding_days"] = sm["hold"] / ended if ended else 0
        r["extended_share"] = sm["extended"] / ended if ended else 0
        ages = [self.w1 - c.ep_start for p in range(self.L) for c in self.cases_of[p] if c.episode]
        r["holding_open_at_end"] = len(ages)
        r["mean_open_holding_age_days"] = sum(ages) / len(ages) if ages else 0
        r["mean_contacts_supported"] = (sm["contacts_closed"] / sm["closed_supported"]
                                        if sm["closed_supported"] else 0)
        years = sm["present_area"] / 365
        r["people_per_worker_year"] = sm["waits"] / years if years else 0
        r["vacancy_days"] = sm["vacant_area"]
        r["mean_waiting_list"] = sm["waiting_area"] / self.s["horizon_days"]
        return {k: r[k] for k in RESULT_KEYS}

    def env_now_end(self):
        """Closes the books at the window's end: the last stretch of the
        integrals, and every series point up to it."""
        a, b = max(self.last, self.w0), self.w1
        if b > a:
            self.integrate(b - a)
        self.last = b
        self.record_series(before=math.inf)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="pcn")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--replications", type=int, default=1)
    ap.add_argument("--series")
    a = ap.parse_args()
    s = load(a.scenario)
    series = []
    for rep in range(a.replications):
        t0 = time.time()
        m = Model(s, a.seed, rep)
        res = m.run(rep, a.seed)
        print(json.dumps(res), flush=True)
        print("replication %d: %.2f s" % (rep, time.time() - t0), file=sys.stderr)
        series += [[rep] + row for row in m.series]
    if a.series:
        with open(a.series, "w") as f:
            f.write(",".join(SERIES_KEYS) + "\n")
            for row in series:
                f.write(",".join(str(x) for x in row) + "\n")


if __name__ == "__main__":
    main()
