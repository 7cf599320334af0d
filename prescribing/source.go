package prescribing

import "database/sql/driver"

// Source is who referred a person to social prescribing, from the NHS
// England list of referral routes.
type Source uint8

// Referral sources. The first four are general practice.
const (
	SourceGP                       Source = iota + 1 // a GP
	SourcePracticeNurse                              // a practice nurse
	SourceOtherClinician                             // another clinician in the practice
	SourceCareNavigator                              // a care navigator or administrator
	SourcePharmacy                                   // a community pharmacy
	SourceMultidisciplinaryTeam                      // a multidisciplinary team
	SourceHospitalDischarge                          // a hospital discharge team
	SourceAlliedHealthProfessional                   // an allied health professional
	SourceFireService                                // the fire service
	SourcePolice                                     // the police
	SourceJobCentre                                  // a job centre
	SourceSocialCare                                 // social care
	SourceHousingAssociation                         // a housing association
	SourceVCSE                                       // a voluntary, community or social enterprise organisation
	SourceLocalAuthority                             // a local authority
	SourceSelf                                       // self-referral: encouraged, rare where people do not know the role exists
)

var sources = NewVocabulary[Source]("referral source",
	"gp", "practice_nurse", "other_clinician", "care_navigator", "pharmacy",
	"multidisciplinary_team", "hospital_discharge", "allied_health_professional",
	"fire_service", "police", "job_centre", "social_care", "housing_association",
	"vcse", "local_authority", "self")

// Sources returns every referral source in order.
func Sources() []Source { return sources.Values() }

// IsGeneralPractice reports whether the referral came from within general
// practice (GP, practice nurse, other clinician, care navigator or admin).
func (s Source) IsGeneralPractice() bool { return s >= SourceGP && s <= SourceCareNavigator }

// String returns the source's text form ("hospital_discharge").
func (s Source) String() string { return sources.String(s) }

// IsValid reports whether s is a known source.
func (s Source) IsValid() bool { return sources.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s Source) MarshalText() ([]byte, error) { return sources.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Source) UnmarshalText(b []byte) (err error) { *s, err = sources.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (s *Source) Scan(src any) (err error) { *s, err = sources.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s Source) Value() (driver.Value, error) { return sources.Value(s) }
