package prescribing

import "database/sql/driver"

// Need is a non-medical reason for referral.
type Need uint8

// Needs a referral can name.
const (
	NeedSocialIsolation                 Need = iota + 1 // social isolation or loneliness
	NeedMentalWellbeing                                 // low mood, anxiety, stress
	NeedHousing                                         // housing
	NeedMoney                                           // debt, benefits
	NeedEmploymentEducationVolunteering                 // employment, education or volunteering
	NeedPhysicalActivity                                // physical activity and lifestyle
	NeedLongTermCondition                               // long-term condition self-management
	NeedCaringResponsibilities                          // caring responsibilities
	NeedBereavement                                     // bereavement
	NeedPracticalDailyLiving                            // practical daily living
	NeedDigitalAccess                                   // digital access
	NeedOther                                           // any other non-medical need
)

var needs = NewVocabulary[Need]("need",
	"social_isolation", "mental_wellbeing", "housing", "money",
	"employment_education_volunteering", "physical_activity", "long_term_condition",
	"caring_responsibilities", "bereavement", "practical_daily_living",
	"digital_access", "other")

// Needs returns every need in order.
func Needs() []Need { return needs.Values() }

// String returns the need's text form ("social_isolation").
func (n Need) String() string { return needs.String(n) }

// IsValid reports whether n is a known need.
func (n Need) IsValid() bool { return needs.Valid(n) }

// MarshalText implements [encoding.TextMarshaler].
func (n Need) MarshalText() ([]byte, error) { return needs.MarshalText(n) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (n *Need) UnmarshalText(b []byte) (err error) { *n, err = needs.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (n *Need) Scan(src any) (err error) { *n, err = needs.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (n Need) Value() (driver.Value, error) { return needs.Value(n) }
