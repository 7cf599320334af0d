// Package pages renders the reference service's two pages for the people in
// the research: a link worker's caseload and a supervisor's view of their
// team. Both are plain server-rendered HTML (html/template, templates
// embedded in the binary), with no JavaScript, an inline stylesheet, table
// captions and column headers, so they read the same in a screen reader, a
// text browser and a headless browser.
//
// A page is rendered from a view: [CaseloadView] or [SupervisionView]. The
// service builds a view from the library's records with [BuildCaseload] or
// [BuildSupervision], and writes it with [RenderCaseload] or
// [RenderSupervision]. Building and rendering are separate so that the
// service decides who may see what before anything is written: the
// caseload page shows a person's name only when the view says the viewer
// may ([CaseloadView.ShowNames]); otherwise it shows their pseudonymous ID.
// The supervision page carries no patient data at all.
//
// What each page shows follows the research. The caseload page lists a
// link worker's open cases with their next step, the people they hold and
// why (the four reasons of the Oxford study), each holding episode's
// endpoint and whether it is overdue or at risk of indefinite holding
// (rules HOLD-1 to HOLD-4), and the reviews and follow-ups that are late
// (HOLD-4, FOLLOW-1). The supervision page gives, per link worker, their
// holding load and episodes at risk (HOLD-7), the phase of their passage
// into the role and whether a liminal spell is prolonged (LIM-1, LIM-3),
// the themes of liminality with no support recorded yet (LIM-2), and
// whether their supervision session is overdue (SUP-1): the "management
// tool for supervisors" the public involvement group asked for.
//
// Views are plain data; the package keeps no mutable state, and its
// functions are safe for concurrent use.
package pages
