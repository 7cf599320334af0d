package store

import (
	"database/sql/driver"
	"fmt"
)

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
