"""An equivalent SimPy implementation of MODEL.md's reference model, for a
side-by-side speed comparison with linkwork's Go simulation. Same rules,
same parameters; its own random numbers (so results agree in distribution,
not bytes). It is not part of the Go module and no test runs it.

Usage (SimPy 3 or 4; on Debian, apt install python3-simpy3):
    python3 examples/simulation/simpy/model.py pcn|region|national [seed]
"""
import heapq
import math
import random
import sys
import time
from collections import deque

import simpy

NEEDS = ["social_isolation", "mental_wellbeing", "money", "housing", "physical_activity", "other"]
WEIGHTS = [0.30, 0.25, 0.15, 0.10, 0.10, 0.10]
PLACES_PW = [6, 3, 1, 0.5, 3, 2]
STAY = [90, 60, 30, 120, 60, 60]


def rnd(x):
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def scenario(name):
    s = dict(horizon=730, L=10, rpwy=250, cap=60, emb=(0.3, 0.5, 0.2), inap=(0.20, 0.10, 0.04),
             first_contact=5, decline=0.10, ready=0.6, readiness=42, review=28, max_ext=3, enforced=True,
             disengage=180, follow_up=28, supervised=0.4, inc_sup=90, inc_unsup=240, leave_lim=540,
             leave_inc=1460, vacancy=90, init_inc=0.5)
    if name == "region":
        s.update(L=300, rpwy=394, horizon=365)
    elif name == "national":
        s.update(L=3300, rpwy=394, horizon=365)
    return s


class Case:
    __slots__ = ("arrival", "need", "post", "ready", "contacted", "episode", "follow_up", "open", "proc", "ep_start",
                 "ext", "reasons", "ep_gen", "timers")

    def __init__(self, arrival, need):
        self.arrival, self.need, self.post = arrival, need, -1
        self.ready = self.contacted = self.episode = self.follow_up = False
        self.open = True
        self.proc = None
        self.ep_start, self.ext, self.reasons, self.ep_gen = 0.0, 0, set(), 0
        self.timers = []


class Model:
    def __init__(self, s, seed):
        self.s, self.env, self.rng = s, simpy.Environment(), random.Random(seed)
        L = s["L"]
        self.rate = L * s["rpwy"] / 365
        b, f = rnd(s["emb"][0] * L), rnd(s["emb"][1] * L)
        self.inap = [s["inap"][0] if i < b else s["inap"][1] if i < b + f else s["inap"][2] for i in range(L)]
        self.supervised = [i < rnd(s["supervised"] * L) for i in range(L)]
        self.present = [True] * L
        self.post_heap = [(0, p) for p in range(L)]
        self.cases_of = [[] for _ in range(L)]
        self.places = [rnd(p * L) for p in PLACES_PW]
        self.in_use = [0] * len(NEEDS)
        self.waiters = [[] for _ in NEEDS]  # heaps of (ep_start, seq, case, gen)
        self.seq = 0
        self.waiting = deque()
        self.c = dict(referrals=0, rejected=0, declined=0, connected=0, discharged=0, disengaged=0,
                      ep_started=0, ep_ended=0, hold_days=0.0, extended=0, held_ar=0, held_lp=0, inc=0, dep=0,
                      waits=0, wait_sum=0.0)
        self.cum = [sum(WEIGHTS[: i + 1]) for i in range(len(WEIGHTS))]
        for p in range(L):
            self.env.process(self.worker(p, p < rnd(s["init_inc"] * L)))
        self.env.process(self.arrivals())

    def exp(self, m):
        return self.rng.expovariate(1 / m) if m > 0 else 0.0

    def arrivals(self):
        while True:
            yield self.env.timeout(self.exp(1 / self.rate))
            self.c["referrals"] += 1
            p = self.rng.randrange(self.s["L"])
            u = self.rng.random() * self.cum[-1]
            need = next(i for i, c in enumerate(self.cum) if u < c)
            if self.rng.random() < self.inap[p]:
                self.c["rejected"] += 1
                continue
            self.waiting.append(Case(self.env.now, need))
            self.assign()

    def best_post(self):
        # A lazy heap of (open cases, post): entries whose count is stale are
        # skipped, as an efficient SimPy model would do.
        h = self.post_heap
        while h:
            n, p = h[0]
            if not self.present[p] or n != len(self.cases_of[p]) or n >= self.s["cap"]:
                heapq.heappop(h)
                continue
            return p
        return None

    def touch(self, p):
        if self.present[p] and len(self.cases_of[p]) < self.s["cap"]:
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

    def first_contact(self, case):
        try:
            yield self.env.timeout(self.exp(self.s["first_contact"]))
        except simpy.Interrupt:
            return
        if not case.contacted:
            case.contacted = True
            self.c["waits"] += 1
            self.c["wait_sum"] += self.env.now - case.arrival
            if self.rng.random() < self.s["decline"]:
                self.c["declined"] += 1
                self.close(case)
                return
            if self.rng.random() < self.s["ready"]:
                case.ready = True
            else:
                self.env.process(self.readiness(case))
        if case.ready and self.in_use[case.need] < self.places[case.need]:
            self.connect(case)
        else:
            self.start_episode(case, "ar" if not case.ready else "lp")

    def readiness(self, case):
        yield self.env.timeout(self.exp(self.s["readiness"]))
        if not case.open:
            return
        case.ready = True
        if case.episode:
            if self.in_use[case.need] < self.places[case.need]:
                self.connect(case)
            else:
                case.reasons.add("lp")
                self.seq += 1
                heapq.heappush(self.waiters[case.need], (case.ep_start, self.seq, id(case), case, case.ep_gen))

    def start_episode(self, case, reason):
        case.episode, case.ep_start, case.ext, case.reasons = True, self.env.now, 0, {reason}
        case.ep_gen += 1
        self.c["ep_started"] += 1
        gen = case.ep_gen
        self.env.process(self.review(case, gen))
        self.env.process(self.disengage(case, gen, self.exp(self.s["disengage"])))
        if case.ready:
            self.seq += 1
            heapq.heappush(self.waiters[case.need], (case.ep_start, self.seq, id(case), case, gen))

    def end_episode(self, case):
        case.episode = False
        c = self.c
        c["ep_ended"] += 1
        c["hold_days"] += self.env.now - case.ep_start
        c["extended"] += case.ext > 0
        c["held_ar"] += "ar" in case.reasons
        c["held_lp"] += "lp" in case.reasons

    def review(self, case, gen):
        while True:
            yield self.env.timeout(self.s["review"])
            if not (case.open and case.episode and case.ep_gen == gen):
                return
            if self.s["enforced"] and case.ext >= self.s["max_ext"]:
                self.end_episode(case)
                self.c["discharged"] += 1
                self.close(case)
                return
            case.ext += 1

    def disengage(self, case, gen, delay):
        yield self.env.timeout(delay)
        if case.open and case.episode and case.ep_gen == gen:
            self.end_episode(case)
            self.c["disengaged"] += 1
            self.close(case)

    def connect(self, case):
        if case.episode:
            self.end_episode(case)
        self.in_use[case.need] += 1
        self.env.process(self.stay(case.need))
        self.c["connected"] += 1
        case.follow_up = True
        case.proc = self.env.process(self.follow_up(case))

    def stay(self, need):
        yield self.env.timeout(self.exp(STAY[need]))
        self.in_use[need] -= 1
        h = self.waiters[need]
        while h:
            _, _, _, case, gen = heapq.heappop(h)
            if case.open and case.episode and case.ep_gen == gen and case.ready:
                self.connect(case)
                return

    def follow_up(self, case):
        try:
            yield self.env.timeout(self.s["follow_up"])
        except simpy.Interrupt:
            return
        self.close(case)

    def close(self, case):
        case.open = False
        if case.post >= 0:
            self.cases_of[case.post].remove(case)
            self.touch(case.post)
        self.assign()

    def worker(self, p, incorporated):
        s = self.s
        while True:
            if not incorporated:
                inc = self.exp(s["inc_sup"] if self.supervised[p] else s["inc_unsup"])
                leave = self.exp(s["leave_lim"])
                if inc < leave:
                    yield self.env.timeout(inc)
                    self.c["inc"] += 1
                    incorporated = True
                    continue
                yield self.env.timeout(leave)
            else:
                yield self.env.timeout(self.exp(s["leave_inc"]))
            # leaving
            self.c["dep"] += 1
            back = []
            for case in list(self.cases_of[p]):
                if case.follow_up:
                    case.proc.interrupt()
                    case.open = False
                    continue
                if case.episode:
                    self.end_episode(case)
                elif case.proc is not None and case.proc.is_alive:
                    case.proc.interrupt()
                case.post = -1
                back.append(case)
            self.cases_of[p] = []
            for case in sorted(back, key=lambda c: c.arrival, reverse=True):
                self.waiting.appendleft(case)
            self.present[p] = False
            yield self.env.timeout(s["vacancy"])
            self.present[p], incorporated = True, False
            self.touch(p)
            self.assign()

    def run(self):
        self.env.run(until=self.s["horizon"])
        return self.c


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "pcn"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    t0 = time.time()
    c = Model(scenario(name), seed).run()
    print(name, "seconds %.2f" % (time.time() - t0), {k: c[k] for k in ("referrals", "rejected", "declined", "connected",
                                                                     "discharged", "disengaged", "ep_started", "dep")})
