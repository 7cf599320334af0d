package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
)

// ErrAmbiguousStatus reports a FHIR Task status that more than one referral
// state maps to, so the state cannot be recovered from it alone.
var ErrAmbiguousStatus = errors.New("FHIR task status maps to more than one referral state")

// TaskStatus is a FHIR R4 Task.status code (http://hl7.org/fhir/task-status),
// the status a referral carries when exchanged as a FHIR Task, as the Gravity
// SDOH Clinical Care guide does for referral management.
type TaskStatus uint8

// The FHIR R4 task-status codes.
const (
	TaskDraft          TaskStatus = iota + 1 // draft
	TaskRequested                            // requested
	TaskReceived                             // received
	TaskAccepted                             // accepted
	TaskRejected                             // rejected
	TaskReady                                // ready
	TaskCancelled                            // cancelled
	TaskInProgress                           // in-progress
	TaskOnHold                               // on-hold
	TaskFailed                               // failed
	TaskCompleted                            // completed
	TaskEnteredInError                       // entered-in-error
)

var taskStatuses = NewVocabulary[TaskStatus]("FHIR task status",
	"draft", "requested", "received", "accepted", "rejected", "ready",
	"cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error")

// TaskStatusSystem is the FHIR code system of [TaskStatus] codes.
const TaskStatusSystem = "http://hl7.org/fhir/task-status"

// ParseTaskStatus parses a FHIR task-status code ("in-progress").
func ParseTaskStatus(code string) (TaskStatus, error) { return taskStatuses.Parse(code) }

// String returns the FHIR code ("in-progress").
func (t TaskStatus) String() string { return taskStatuses.String(t) }

// IsValid reports whether t is a FHIR R4 task status.
func (t TaskStatus) IsValid() bool { return taskStatuses.Valid(t) }

// MarshalText implements [encoding.TextMarshaler].
func (t TaskStatus) MarshalText() ([]byte, error) { return taskStatuses.MarshalText(t) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (t *TaskStatus) UnmarshalText(b []byte) (err error) {
	*t, err = taskStatuses.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (t *TaskStatus) Scan(src any) (err error) { *t, err = taskStatuses.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (t TaskStatus) Value() (driver.Value, error) { return taskStatuses.Value(t) }

// taskStatusOf maps each referral state to its FHIR Task status (rule REF-5).
// A person declining maps to cancelled, not rejected: in FHIR, rejected means
// the performer (here the link worker service) refused the task, which is the
// referral state rejected.
var taskStatusOf = [...]TaskStatus{
	StateReceived:       TaskRequested,
	StateAccepted:       TaskAccepted,
	StateRejected:       TaskRejected,
	StateContacted:      TaskInProgress,
	StateDeclined:       TaskCancelled,
	StateInSupport:      TaskInProgress,
	StateConnected:      TaskInProgress,
	StateOnHold:         TaskOnHold,
	StateClosed:         TaskCompleted,
	StateCancelled:      TaskCancelled,
	StateEnteredInError: TaskEnteredInError,
}

// TaskStatus returns the FHIR R4 Task status of the state (rule REF-5), or
// zero for an invalid state.
func (s State) TaskStatus() TaskStatus {
	if !s.IsValid() {
		return 0
	}
	return taskStatusOf[s]
}

// StateFromTaskStatus returns the referral state a FHIR Task status stands
// for, where exactly one does (rule REF-5). in-progress (contacted,
// in-support, connected) and cancelled (cancelled, declined) are errors
// wrapping [ErrAmbiguousStatus]; statuses no state uses (draft, received,
// ready, failed) and invalid ones wrap [ErrUnknownValue].
func StateFromTaskStatus(t TaskStatus) (State, error) {
	var found State
	n := 0
	for _, s := range States() {
		if taskStatusOf[s] == t {
			found, n = s, n+1
		}
	}
	switch {
	case n == 1:
		return found, nil
	case n > 1:
		return 0, fmt.Errorf("%w: %s", ErrAmbiguousStatus, t)
	default:
		return 0, fmt.Errorf("%w: no referral state has FHIR task status %s", ErrUnknownValue, t)
	}
}
