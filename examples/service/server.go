package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// MaxBodyBytes is the largest request body the server reads; a larger one
// gets 413.
const MaxBodyBytes = 64 << 10

// Server is the service: its routes over an event store.
type Server struct {
	store  store.Store
	tokens *Tokens
	log    *slog.Logger
	now    func() time.Time
	index  *index
	links  *pageLinks
	mux    *http.ServeMux
	routes []route
}

// route is one entry of the route table: a net/http pattern, the roles
// that may call it, and its handler. The authorization tests walk this
// table, so a route added here is tested for 401 and 403.
type route struct {
	pattern string
	roles   []Role
	// creates marks a request that makes a new record: its handler asks
	// for an Idempotency-Key (c.idempotency).
	creates bool
	// update marks a request that changes an existing record: its handler
	// asks for If-Match (c.checkVersion). The tests hold both flags to
	// what the handlers do.
	update bool
	// page marks an HTML page: besides a bearer token it accepts a page
	// link (?access=, see pagelinks.go).
	page   bool
	handle func(*call) error
}

// call is one request being served.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	ctx    context.Context
	who    *caller
	req    uuid.UUID
	body   []byte
	status int
	replay bool
}

// NewServer makes the service over an event store with the given staff.
// now is its clock (time.Now if nil); log gets one line per request.
func NewServer(s store.Store, tokens *Tokens, log *slog.Logger, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	srv := &Server{store: s, tokens: tokens, log: log, now: now, index: newIndex(), links: newPageLinks(), mux: http.NewServeMux()}
	srv.routes = srv.routeTable()
	for _, rt := range srv.routes {
		srv.mux.Handle(rt.pattern, srv.wrap(rt))
	}
	return srv
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Routes lists the route patterns, in table order.
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, r := range s.routes {
		out[i] = r.pattern
	}
	return out
}

// apiError is an error with its HTTP status and a message safe to show
// the caller (it never holds personal data).
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func fail(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

var (
	errForbidden = &apiError{http.StatusForbidden, "forbidden"}
	errNotFound  = &apiError{http.StatusNotFound, "not found"}
)

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		c := &call{s: s, w: w, r: r, ctx: r.Context(), req: uuid.New()}
		w.Header().Set("X-Request-Id", c.req.String())
		err := s.serve(c, rt)
		var internal error
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				ae = classify(err)
				if ae.status == http.StatusInternalServerError {
					internal = err
				}
			}
			if ae.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="linkwork"`)
			}
			writeJSON(w, ae.status, map[string]string{"error": ae.msg})
		}
		// The log line carries IDs, the route and the outcome, never a
		// body, a query string or an error's text.
		attrs := []slog.Attr{
			slog.String("request_id", c.req.String()),
			slog.String("method", r.Method),
			slog.String("route", rt.pattern),
			slog.Int("status", w.status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		}
		if c.who != nil {
			attrs = append(attrs, slog.String("staff", c.who.id.String()))
		}
		for _, name := range []string{"id", "worker", "supervisor"} {
			if v := r.PathValue(name); v != "" {
				attrs = append(attrs, slog.String(name, v))
			}
		}
		if internal != nil {
			// A server failure (the database, a bug): its text, never a
			// refusal's, which could echo what was sent.
			attrs = append(attrs, slog.String("error", internal.Error()))
		}
		if c.replay {
			attrs = append(attrs, slog.Bool("idempotent_replay", true))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

func (s *Server) serve(c *call, rt route) error {
	who, err := s.tokens.authenticate(c.r)
	if err != nil && rt.page && c.r.Header.Get("Authorization") == "" && c.r.URL.Query().Has("access") {
		who, err = s.links.redeem(c.r, s.now())
	}
	if err != nil {
		return fail(http.StatusUnauthorized, "%s", err)
	}
	c.who = who
	if !slices.Contains(rt.roles, who.staff.Role) {
		return errForbidden
	}
	if c.r.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, MaxBodyBytes))
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return fail(http.StatusRequestEntityTooLarge, "body larger than %d bytes", MaxBodyBytes)
			}
			return fail(http.StatusBadRequest, "reading the body failed")
		}
		c.body = b
	}
	// Handlers check the caller may touch the record before asking for
	// If-Match (428) or an Idempotency-Key (400), so a record outside the
	// caller's caseload gets 403 whatever headers come with the request.
	return rt.handle(c)
}

// classify maps library errors to statuses.
func classify(err error) *apiError {
	switch {
	case errors.Is(err, store.ErrConflict):
		return &apiError{http.StatusConflict, "the record changed since it was read: read it again and retry"}
	case errors.Is(err, prescribing.ErrInvalidTransition), errors.Is(err, prescribing.ErrAlreadyEscalated),
		errors.Is(err, holding.ErrEnded), errors.Is(err, liminality.ErrInvalidMove), errors.Is(err, liminality.ErrSupervisionEnded),
		errors.Is(err, prescribing.ErrTimeWentBackwards):
		return &apiError{http.StatusConflict, err.Error()}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &apiError{http.StatusServiceUnavailable, "request cancelled or timed out"}
	case isDomain(err):
		return &apiError{http.StatusUnprocessableEntity, err.Error()}
	}
	return &apiError{http.StatusInternalServerError, "internal error"}
}

// isDomain says whether err is a refusal by the library's rules (whose
// messages never hold personal data), not a failure of the server.
func isDomain(err error) bool {
	for _, s := range []error{
		prescribing.ErrUnknownValue, prescribing.ErrInvalidText, prescribing.ErrTimeOutOfRange,
		prescribing.ErrNoConsent, prescribing.ErrNoLead, prescribing.ErrNoRiskAssessment,
		prescribing.ErrInvalidMeasure, prescribing.ErrAtCapacity, prescribing.ErrInvalidPersonalDetails,
		prescribing.ErrInvalidNHSNumber, prescribing.ErrAnonymised, prescribing.ErrInvalidRecord,
		prescribing.ErrNotComparable, prescribing.ErrOutOfRange, prescribing.ErrInvalidPeriod,
		prescribing.ErrInvalidID, prescribing.ErrNoTime, prescribing.ErrRedacted,
		prescribing.ErrNoPlaceInUse, prescribing.ErrNotActive, prescribing.ErrMessageIncomplete,
		prescribing.ErrMissingDetail, prescribing.ErrOutcomeRequired, prescribing.ErrReasonRequired,
		prescribing.ErrInvalidStream, prescribing.ErrNotFinite, prescribing.ErrInvalidGuidance,
		prescribing.ErrUnexpectedEvent, prescribing.ErrWrongSubject,
		holding.ErrNoReason, holding.ErrDecisionRequired, holding.ErrInvalidRatings, holding.ErrNoEndpoint,
		holding.ErrNoRationale, holding.ErrNoSignOff, holding.ErrProvisionAvailable,
		liminality.ErrUnaddressed, liminality.ErrInvalidFrequency, liminality.ErrNotSupervisor,
		store.ErrInvalidAppend,
	} {
		if errors.Is(err, s) {
			return true
		}
	}
	var te *prescribing.TransitionError
	return errors.As(err, &te)
}

// decode reads the body strictly into v: an unknown field is a 400 that
// names it, and so is anything after the JSON value.
func (c *call) decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(http.StatusBadRequest, "empty body: a JSON object is needed")
		}
		return fail(http.StatusBadRequest, "bad JSON: %s", describeJSON(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(http.StatusBadRequest, "bad JSON: data after the JSON value")
	}
	return nil
}

// decodeFields reads an optional body strictly into v, and refuses a
// field of v the operation does not take (400 naming it, and op if it is
// not ""), so a body meant for another operation is not half read. An
// empty body leaves v as it is.
func (c *call) decodeFields(v any, fields []string, op string) error {
	if len(c.body) == 0 {
		return nil
	}
	if err := c.decode(v); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(c.body, &keys); err != nil {
		return fail(http.StatusBadRequest, "bad JSON: a JSON object is needed")
	}
	for k := range keys {
		if !slices.Contains(fields, k) {
			if op != "" {
				return fail(http.StatusBadRequest, "bad JSON: unknown field %q for %s", k, op)
			}
			return fail(http.StatusBadRequest, "bad JSON: unknown field %q", k)
		}
	}
	return nil
}

// describeJSON names what was wrong without quoting the value read.
func describeJSON(err error) string {
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ute):
		return fmt.Sprintf("field %q: wrong type (want %s)", ute.Field, ute.Type)
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.msg
	}
	if isDomain(err) {
		return err.Error()
	}
	return "a value could not be read"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = jsonEncode(w, v)
}

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifMatch reads the version If-Match names.
func (c *call) ifMatch() (int, error) {
	if c.r.Header.Get("If-Match") == "" {
		return 0, fail(http.StatusPreconditionRequired, "an update needs If-Match with the record's ETag")
	}
	h := strings.TrimPrefix(c.r.Header.Get("If-Match"), "W/")
	v, err := strconv.Atoi(strings.Trim(h, `"`))
	if err != nil || v < 0 {
		return 0, fail(http.StatusBadRequest, "If-Match must be an ETag this server gave")
	}
	return v, nil
}

// respond writes a record's view with its version as ETag.
func (c *call) respond(status, version int, v any) error {
	c.w.Header().Set("ETag", etag(version))
	writeJSON(c.w, status, v)
	return nil
}

// meta is the envelope metadata of the request's appends: who, the
// request ID as correlation, and as causation a digest of the idempotency
// key and body of a creating request (uuid.Nil otherwise).
func (c *call) meta(causation uuid.UUID) store.Metadata {
	return store.Metadata{Actor: c.who.id, Correlation: c.req, Causation: causation}
}

// at is now on the server's clock, in the form events carry.
func (c *call) at() time.Time { return prescribing.Stamp(c.s.now()) }

var idNamespace = uuid.MustParse("6f1c2b0e-4a53-4c52-9a55-0c8e7d1b2a90")

// idempotency derives the ID a creating request makes from who sent it,
// the route and its Idempotency-Key, so a retry names the same record;
// and a digest of the body, kept as the append's causation, to tell a
// retry from another request reusing the key.
func (c *call) idempotency(pattern string) (id, digest uuid.UUID, err error) {
	k := c.r.Header.Get("Idempotency-Key")
	if k == "" || len(k) > 200 {
		return id, digest, fail(http.StatusBadRequest, "a creating request needs an Idempotency-Key header of 1 to 200 characters")
	}
	id = uuid.NewSHA1(idNamespace, []byte(c.who.id.String()+"\x00"+pattern+"\x00"+k))
	digest = uuid.NewSHA1(id, c.body)
	return id, digest, nil
}

// rebuild replays a stream into rec, up to version upTo (all if 0), and
// returns the envelopes replayed: for a record as it was at a version,
// and for what an envelope says. A plain read uses [store.Rebuild].
func (s *Server) rebuild(ctx context.Context, stream prescribing.Stream, rec prescribing.StreamRecord, upTo int64) ([]store.Envelope, error) {
	envs, err := s.store.Load(ctx, stream, 0)
	if err != nil {
		return nil, err
	}
	if upTo > 0 && int64(len(envs)) > upTo {
		envs = envs[:upTo]
	}
	if err := prescribing.Replay(rec, store.Events(envs)); err != nil {
		return nil, err
	}
	return envs, nil
}

// load rebuilds an existing record; 404 if its stream is empty.
func (s *Server) load(c *call, stream prescribing.Stream, rec prescribing.StreamRecord) error {
	if err := store.Rebuild(c.ctx, s.store, stream, rec); err != nil {
		return err
	}
	if rec.Version() == 0 {
		return errNotFound
	}
	return nil
}

// checkVersion compares If-Match with the record's version: a stale
// write gets 409 and changes nothing.
func (c *call) checkVersion(rec prescribing.StreamRecord) error {
	v, err := c.ifMatch()
	if err != nil {
		return err
	}
	if v != rec.Version() {
		return fail(http.StatusConflict, "stale If-Match %s: the record is at version %d", etag(v), rec.Version())
	}
	return nil
}

// commit appends what a live operation on rec returned, expecting the
// version rec had before it.
func (c *call) commit(rec prescribing.StreamRecord, causation uuid.UUID, events ...prescribing.Event) error {
	_, err := store.AppendRecord(c.ctx, c.s.store, rec, c.meta(causation), events...)
	return err
}

// create appends a new record's first event, or answers a retry: if the
// stream is there already, made by the same body, the record as it was
// created is answered again (with Idempotent-Replayed: true) and nothing
// is appended; made by another body, 422.
func create[R any, P interface {
	*R
	prescribing.StreamRecord
}](c *call, stream prescribing.Stream, digest uuid.UUID, make func() (R, prescribing.Event, error), view func(*R) any) error {
	replay := func() (bool, error) {
		var rec R
		envs, err := c.s.rebuild(c.ctx, stream, P(&rec), 1)
		if err != nil || len(envs) == 0 {
			return false, err
		}
		if envs[0].Causation != digest || envs[0].Actor != c.who.id {
			return true, fail(http.StatusUnprocessableEntity, "Idempotency-Key reused for another request")
		}
		c.replay = true
		c.w.Header().Set("Idempotent-Replayed", "true")
		c.w.Header().Set("Location", "/"+streamPath(stream))
		return true, c.respond(http.StatusCreated, P(&rec).Version(), view(&rec))
	}
	if done, err := replay(); done || err != nil {
		return err
	}
	rec, ev, err := make()
	if err != nil {
		return err
	}
	if _, err := c.s.store.Append(c.ctx, stream, store.ExpectNoStream, c.meta(digest), ev); err != nil {
		if errors.Is(err, store.ErrConflict) {
			// A retry raced this one and won: answer as it did.
			if done, err := replay(); done || err != nil {
				return err
			}
		}
		return err
	}
	c.w.Header().Set("Location", "/"+streamPath(stream))
	return c.respond(http.StatusCreated, P(&rec).Version(), view(&rec))
}

func streamPath(s prescribing.Stream) string {
	switch s.Kind {
	case prescribing.StreamKindPatient:
		return "patients/" + s.ID.String()
	case prescribing.StreamKindReferral:
		return "referrals/" + s.ID.String()
	case prescribing.StreamKindConcern:
		return "concerns/" + s.ID.String()
	case prescribing.StreamKindAsset:
		return "assets/" + s.ID.String()
	case prescribing.StreamKindHoldingEpisode:
		return "holding-episodes/" + s.ID.String()
	case prescribing.StreamKindLinkWorker:
		return "link-workers/" + s.ID.String()
	case prescribing.StreamKindJourney:
		return "link-workers/" + s.ID.String() + "/journey"
	case prescribing.StreamKindSupervision:
		return "link-workers/" + s.ID.String() + "/supervision"
	}
	return ""
}

// pathID parses the {name} wildcard as an ID; 404 if it is not one.
func pathID[E any](c *call, name string) (prescribing.ID[E], error) {
	id, err := prescribing.ParseID[E](c.r.PathValue(name))
	if err != nil || id.IsZero() {
		return id, errNotFound
	}
	return id, nil
}
