package store

import (
	"database/sql/driver"
	"fmt"
)

// Value returns the text form for database/sql; the zero StreamID is NULL.
func (s StreamID) Value() (driver.Value, error) {
	if s.IsZero() {
		return nil, nil
	}
	return s.String(), nil
}

// Scan reads the text form from database/sql; NULL is the zero StreamID.
// Errors wrap [ErrInvalidStream].
func (s *StreamID) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = StreamID{}
		return nil
	case string:
		return s.UnmarshalText([]byte(v))
	case []byte:
		return s.UnmarshalText(v)
	}
	return fmt.Errorf("%w: cannot scan a %T", ErrInvalidStream, src)
}

// Value returns the staff ID's text for database/sql ("" for the zero
// StaffID).
func (a StaffID) Value() (driver.Value, error) { return a.s, nil }

// Scan reads a staff ID from database/sql; NULL is the zero StaffID.
// Errors wrap [ErrInvalidStaffID].
func (a *StaffID) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = StaffID{}
		return nil
	case string:
		return a.UnmarshalText([]byte(v))
	case []byte:
		return a.UnmarshalText(v)
	}
	return fmt.Errorf("%w: cannot scan a %T", ErrInvalidStaffID, src)
}
