package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// supportedReferrals makes n referrals of lw1's in support.
func (e *env) supportedReferrals(n int) []string {
	e.t.Helper()
	st := e.staff
	p := e.must(201, &st.lw1, "POST", "/patients", map[string]any{"details": map[string]any{"given_name": "Concurrent"}}, "Idempotency-Key", key()).str(e.t, "id")
	var out []string
	for range n {
		ref := "/referrals/" + e.must(201, &st.lw1, "POST", "/referrals", map[string]any{"patient": p, "source": "gp"}, "Idempotency-Key", key()).str(e.t, "id")
		e.update(200, &st.lw1, ref, ref+"/accept", nil)
		e.update(200, &st.lw1, ref, ref+"/first-contact", nil)
		e.update(200, &st.lw1, ref, ref+"/start-support", nil)
		out = append(out, ref)
	}
	return out
}

var planNeeds = []string{"social_isolation", "mental_wellbeing", "housing", "money", "bereavement"}

// TestConcurrentEdits: many clients on 127.0.0.1 edit the same and
// different referrals, each reading the ETag and writing with If-Match.
// Every write is either acknowledged (200) or reported as a conflict
// (409); afterwards each referral's audit trail holds exactly the
// acknowledged writes, by their request IDs: no lost update, no phantom.
func TestConcurrentEdits(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b)
			refs := e.supportedReferrals(3)
			const clients, writes = 12, 15
			var mu sync.Mutex
			acked := map[string][]string{} // referral -> request IDs
			conflicts := 0
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(c), 18))
					client := &http.Client{Timeout: 30 * time.Second}
					for range writes {
						ref := refs[rng.IntN(len(refs))]
						if c < clients/2 {
							ref = refs[0] // half the clients all on one referral
						}
						status, tag, _ := send(client, e, "GET", ref, nil, "")
						if status != http.StatusOK {
							t.Errorf("GET %s: %d", ref, status)
							return
						}
						plan := map[string]any{"plan": map[string]any{"needs": []string{planNeeds[rng.IntN(len(planNeeds))]}}}
						status, _, reqID := send(client, e, "POST", ref+"/plan", plan, tag)
						mu.Lock()
						switch status {
						case http.StatusOK:
							acked[ref] = append(acked[ref], reqID)
						case http.StatusConflict:
							conflicts++
						default:
							t.Errorf("POST %s/plan: %d", ref, status)
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			total := 0
			for _, ref := range refs {
				id := strings.TrimPrefix(ref, "/referrals/")
				var entries []auditEntry
				au := e.must(200, &e.staff.admin, "GET", "/audit?stream=referral/"+id, nil)
				require.NoError(t, json.Unmarshal(au.body, &entries))
				var stored []string
				for _, en := range entries[4:] { // after received, accepted, contacted, in support
					assert.Equal(t, "referral.plan_updated", en.Type)
					stored = append(stored, en.Correlation.String())
				}
				sort.Strings(stored)
				want := slices.Clone(acked[ref])
				sort.Strings(want)
				assert.Equal(t, want, stored, "%s: the stored writes are exactly the acknowledged ones", ref)
				v := e.must(200, &e.staff.lw1, "GET", ref, nil).json(t)["version"]
				assert.Equal(t, float64(4+len(acked[ref])), v)
				total += len(acked[ref])
			}
			assert.Equal(t, clients*writes, total+conflicts, "every write was acknowledged or reported as a conflict")
			assert.Positive(t, conflicts, "clients on one referral must have conflicted")
			t.Logf("%s: %d writes acknowledged, %d conflicts reported", b.name, total, conflicts)
		})
	}
}

// send sends a request as lw1 and returns the status, the ETag and the
// request ID.
func send(client *http.Client, e *env, method, path string, body any, ifMatch string) (int, string, string) {
	var rd *strings.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = strings.NewReader(string(j))
	} else {
		rd = strings.NewReader("")
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		return 0, "", ""
	}
	req.Header.Set("Authorization", "Bearer "+e.staff.lw1.Token)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, "", fmt.Sprint(err)
	}
	defer res.Body.Close()
	var sink json.RawMessage
	_ = json.NewDecoder(res.Body).Decode(&sink)
	return res.StatusCode, res.Header.Get("ETag"), res.Header.Get("X-Request-Id")
}
