package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/prescribing"
)

// buildServer builds the service's binary into dir.
func buildServer(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "service")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// child is the server running as a separate process.
type child struct {
	cmd *exec.Cmd
	url string
}

// startServer runs the binary on a loopback port with the SQLite file
// and waits for its address line.
func startServer(t *testing.T, bin, db, tokens, logPath string) *child {
	t.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	defer logf.Close()
	cmd := exec.Command(bin, "-db", db, "-addr", "127.0.0.1:0", "-tokens", tokens)
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	rd := bufio.NewReader(out)
	var url string
	for {
		line, err := rd.ReadString('\n')
		require.NoError(t, err, "the server printed no address")
		if u, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on "); ok {
			url = u
			break
		}
	}
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	return &child{cmd: cmd, url: url}
}

func (c *child) kill(t *testing.T) {
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	_ = c.cmd.Wait()
}

// killWrite is one patient a client tried to register, and the consent it
// then tried to record (two events in one append: the consent record
// opened and the consent given).
type killWrite struct {
	key, name    string
	id           string // set once registration was acknowledged
	patientAcked bool
	consentAcked bool
}

// TestDurability_SIGKILL builds the server, runs it as a separate process
// on a SQLite file, sends writes from several clients, kills it with
// SIGKILL at a random moment, restarts it and checks: every acknowledged
// write is there; every unacknowledged one is either wholly there or
// wholly absent (a retry with its Idempotency-Key then creates it once);
// no append is half-written.
func TestDurability_SIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server")
	}
	dir := t.TempDir()
	bin := buildServer(t, dir)
	st := newTestStaff()
	tokens := filepath.Join(dir, "tokens.json")
	b, err := json.Marshal(st.all())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(tokens, b, 0o600))
	db := filepath.Join(dir, "service.sqlite")
	logPath := filepath.Join(dir, "server.log")
	rng := rand.New(rand.NewPCG(18, 4))
	client := &http.Client{Timeout: 10 * time.Second}

	send := func(url, method, path string, body any, hdr ...string) (int, map[string]any, error) {
		j, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, url+path, strings.NewReader(string(j)))
		req.Header.Set("Authorization", "Bearer "+st.lw1.Token)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
			return 0, nil, err // a reply cut short is no acknowledgement
		}
		return res.StatusCode, m, nil
	}
	body := func(w *killWrite) any {
		return map[string]any{"details": map[string]any{"given_name": w.name, "family_name": "Durable"}}
	}

	var mu sync.Mutex
	var writes []*killWrite
	// check finds what the previous rounds left: acknowledged writes are
	// there; unacknowledged ones are retried and so created once.
	check := func(c *child, round int) {
		url := c.url
		for _, w := range writes {
			status, m, err := send(url, "POST", "/patients", body(w), "Idempotency-Key", w.key)
			require.NoError(t, err)
			require.Equal(t, http.StatusCreated, status, "round %d: retry of %s", round, w.key)
			if w.patientAcked {
				require.Equal(t, w.id, m["id"], "an acknowledged patient keeps its ID")
			}
			w.id, w.patientAcked = m["id"].(string), true
			status, m, err = send(url, "GET", "/patients/"+w.id+"/consents", nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			v := m["version"].(float64)
			if w.consentAcked {
				assert.Equal(t, float64(2), v, "round %d: acknowledged consent for %s lost", round, w.key)
			} else {
				assert.Contains(t, []float64{0, 2}, v, "round %d: consent for %s half-written", round, w.key)
				w.consentAcked = v == 2
			}
		}
	}
	const rounds = 6
	for round := range rounds {
		c := startServer(t, bin, db, tokens, logPath)
		check(c, round)
		// New writes until the kill.
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					w := &killWrite{key: fmt.Sprintf("kill-%d-%d-%d", round, g, i), name: fmt.Sprintf("Durable%d%d%d", round, g, i)}
					mu.Lock()
					writes = append(writes, w)
					mu.Unlock()
					status, m, err := send(c.url, "POST", "/patients", body(w), "Idempotency-Key", w.key)
					if err != nil {
						return
					}
					if status != http.StatusCreated {
						t.Errorf("register %s: %d %v", w.key, status, m)
						return
					}
					mu.Lock()
					w.id, w.patientAcked = m["id"].(string), true
					mu.Unlock()
					status, m, err = send(c.url, "POST", "/patients/"+w.id+"/consents/give", map[string]any{"scope": "contact_by_text"}, "If-Match", `"0"`)
					if err != nil {
						return
					}
					if status != http.StatusOK {
						t.Errorf("consent %s: %d %v", w.key, status, m)
						return
					}
					mu.Lock()
					w.consentAcked = true
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		c.kill(t)
		close(stop)
		wg.Wait()
	}

	// Finally, the store itself: one event per patient (retries created
	// nothing twice), consent records of zero or two events.
	c := startServer(t, bin, db, tokens, logPath)
	check(c, rounds)
	c.kill(t)
	s, sdb, err := openStore(context.Background(), db, "")
	require.NoError(t, err)
	defer sdb.Close()
	perStream := map[prescribing.Stream]int{}
	for from := int64(1); ; {
		envs, err := s.ReadAll(context.Background(), from, 1000)
		require.NoError(t, err, "every stored event decodes")
		for _, e := range envs {
			perStream[e.Stream]++
			from = e.Position + 1
		}
		if len(envs) < 1000 {
			break
		}
	}
	patients := 0
	for stream, n := range perStream {
		switch stream.Kind {
		case prescribing.StreamKindPatient:
			patients++
			assert.Equal(t, 1, n, "%s", stream)
		case prescribing.StreamKindConsents:
			assert.Equal(t, 2, n, "%s", stream)
		}
	}
	acked := 0
	for _, w := range writes {
		if w.patientAcked {
			acked++
		}
	}
	assert.LessOrEqual(t, acked, patients)
	assert.LessOrEqual(t, patients, len(writes))
	t.Logf("%d rounds, %d writes tried, %d patients stored", rounds, len(writes), patients)
	require.Greater(t, len(writes), rounds*4)
}

// TestStart_OneCommand starts the server as the README says, with no
// tokens file: it makes one with fresh tokens, serves on SQLite, and stops
// cleanly on SIGTERM.
func TestStart_OneCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := buildServer(t, dir)
	tokens := filepath.Join(dir, "tokens.json")
	c := startServer(t, bin, filepath.Join(dir, "service.sqlite"), tokens, filepath.Join(dir, "server.log"))
	staff, err := LoadTokens(tokens)
	require.NoError(t, err)
	require.Len(t, staff.staff, 3)
	info, err := os.Stat(tokens)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "tokens are readable by their owner only")
	for _, s := range staff.staff {
		req, _ := http.NewRequest("GET", c.url+"/assets", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode, s.ID)
	}
	res, err := http.Get(c.url + "/assets")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, c.cmd.Wait(), "a clean stop on SIGTERM")
	logs, err := os.ReadFile(filepath.Join(dir, "server.log"))
	require.NoError(t, err)
	for _, s := range staff.staff {
		assert.NotContains(t, string(logs), s.Token, "tokens never reach the logs")
	}
	assert.Contains(t, string(logs), `"route":"GET /assets"`)
}

// TestServerTimeouts: the server bounds how long a client may take over
// headers, a request, a response and an idle connection.
func TestServerTimeouts(t *testing.T) {
	s := newHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": s.ReadHeaderTimeout, "ReadTimeout": s.ReadTimeout,
		"WriteTimeout": s.WriteTimeout, "IdleTimeout": s.IdleTimeout} {
		assert.Positive(t, d, name)
		assert.LessOrEqual(t, d, 2*time.Minute, name)
	}
	assert.Less(t, s.ReadHeaderTimeout, s.ReadTimeout)
}
