package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	ours "github.com/gitlabusers/gitlab"
	clientgo "gitlab.com/gitlab-org/api/client-go"
	clientgo2 "gitlab.com/gitlab-org/api/client-go/v2"
)

// caller is one implementation under test. Each method makes one call
// and keeps the decoded value in the caller (so nothing is optimised
// away and the checks can look at it).
type caller interface {
	getUser() error    // GET /users/1
	listUsers() error  // GET /users?per_page=100
	getMissing() error // GET /users/2, answered 404: must return an error
}

// impls are the implementations, in column order.
var impls = []string{"ours", "baseline", "clientgo", "clientgo2"}

// newCaller builds implementation name against base. A nil hc means the
// implementation's default HTTP client (its own transport and pool).
func newCaller(name, base string, hc *http.Client) caller {
	switch name {
	case "ours":
		opts := []ours.ClientOption{ours.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, ours.WithHTTPClient(hc))
		}
		c, err := ours.NewClient(testToken, opts...)
		if err != nil {
			panic(err)
		}
		return &oursCaller{c: c}
	case "baseline":
		if hc == nil {
			// What a hand-written client gets from http.DefaultClient, on
			// a transport of its own so every client starts cold.
			hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		}
		return &baselineCaller{c: &baselineClient{base: base + "/api/v4/", token: testToken, hc: hc}}
	case "clientgo":
		opts := []clientgo.ClientOptionFunc{clientgo.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, clientgo.WithHTTPClient(hc))
		}
		c, err := clientgo.NewClient(testToken, opts...)
		if err != nil {
			panic(err)
		}
		return &clientgoCaller{c: c}
	case "clientgo2":
		opts := []clientgo2.ClientOptionFunc{clientgo2.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, clientgo2.WithHTTPClient(hc))
		}
		c, err := clientgo2.NewClient(testToken, opts...)
		if err != nil {
			panic(err)
		}
		return &clientgo2Caller{c: c}
	}
	panic("unknown implementation " + name)
}

// ---- ours

type oursCaller struct {
	c     *ours.Client
	user  *ours.User
	users []*ours.User
}

var oursListOpts = &ours.ListUsersOptions{ListOptions: ours.ListOptions{PerPage: 100}}

func (o *oursCaller) getUser() (err error) {
	o.user, _, err = o.c.Users.Get(context.Background(), 1, nil)
	return err
}

func (o *oursCaller) listUsers() (err error) {
	o.users, _, err = o.c.Users.List(context.Background(), oursListOpts)
	return err
}

func (o *oursCaller) getMissing() error {
	_, _, err := o.c.Users.Get(context.Background(), 2, nil)
	return wantError(err)
}

// ---- client-go

type clientgoCaller struct {
	c     *clientgo.Client
	user  *clientgo.User
	users []*clientgo.User
}

var clientgoListOpts = &clientgo.ListUsersOptions{ListOptions: clientgo.ListOptions{PerPage: 100}}

func (g *clientgoCaller) getUser() (err error) {
	g.user, _, err = g.c.Users.GetUser(1, clientgo.GetUsersOptions{})
	return err
}

func (g *clientgoCaller) listUsers() (err error) {
	g.users, _, err = g.c.Users.ListUsers(clientgoListOpts)
	return err
}

func (g *clientgoCaller) getMissing() error {
	_, _, err := g.c.Users.GetUser(2, clientgo.GetUsersOptions{})
	return wantError(err)
}

// ---- client-go v2: int64 IDs and a *GetUserOptions

type clientgo2Caller struct {
	c     *clientgo2.Client
	user  *clientgo2.User
	users []*clientgo2.User
}

var clientgo2ListOpts = &clientgo2.ListUsersOptions{ListOptions: clientgo2.ListOptions{PerPage: 100}}

func (g *clientgo2Caller) getUser() (err error) {
	g.user, _, err = g.c.Users.GetUser(1, nil)
	return err
}

func (g *clientgo2Caller) listUsers() (err error) {
	g.users, _, err = g.c.Users.ListUsers(clientgo2ListOpts)
	return err
}

func (g *clientgo2Caller) getMissing() error {
	_, _, err := g.c.Users.GetUser(2, nil)
	return wantError(err)
}

// ---- baseline: what one writes by hand with net/http and encoding/json

type baselineCaller struct {
	c     *baselineClient
	user  *baselineUser
	users []*baselineUser
}

func (h *baselineCaller) getUser() error {
	var u baselineUser
	if err := h.c.get(context.Background(), "users/"+strconv.Itoa(1), &u); err != nil {
		return err
	}
	h.user = &u
	return nil
}

func (h *baselineCaller) listUsers() error {
	var us []*baselineUser
	if err := h.c.get(context.Background(), "users?per_page=100", &us); err != nil {
		return err
	}
	h.users = us
	return nil
}

func (h *baselineCaller) getMissing() error {
	var u baselineUser
	return wantError(h.c.get(context.Background(), "users/"+strconv.Itoa(2), &u))
}

type baselineClient struct {
	base  string // ends in /api/v4/
	token string
	hc    *http.Client
}

type baselineError struct {
	Status  int
	Message string `json:"message"`
}

func (e *baselineError) Error() string { return fmt.Sprintf("gitlab: %d %s", e.Status, e.Message) }

// get sends a GET and decodes a 200 answer into out; the body is always
// read to its end and closed so the connection can be reused.
func (c *baselineClient) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("PRIVATE-TOKEN", c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	defer io.Copy(io.Discard, resp.Body) //nolint:errcheck
	if resp.StatusCode != http.StatusOK {
		e := &baselineError{Status: resp.StatusCode}
		_ = json.NewDecoder(resp.Body).Decode(e)
		return e
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// baselineUser has the same fields, with the same types, as gitlab.User.
type baselineUser struct {
	ID                             int64               `json:"id"`
	Username                       string              `json:"username"`
	Name                           string              `json:"name"`
	PublicEmail                    string              `json:"public_email"`
	State                          string              `json:"state"`
	Locked                         bool                `json:"locked"`
	AvatarURL                      string              `json:"avatar_url"`
	WebURL                         string              `json:"web_url"`
	CustomAttributes               []*baselineAttr     `json:"custom_attributes,omitempty"`
	CreatedAt                      *time.Time          `json:"created_at"`
	Bio                            string              `json:"bio"`
	BioHTML                        string              `json:"bio_html"`
	Location                       *string             `json:"location"`
	Skype                          string              `json:"skype"`
	Linkedin                       string              `json:"linkedin"`
	Twitter                        string              `json:"twitter"`
	Discord                        string              `json:"discord"`
	WebsiteURL                     string              `json:"website_url"`
	Organization                   string              `json:"organization"`
	JobTitle                       string              `json:"job_title"`
	Pronouns                       string              `json:"pronouns"`
	Bot                            bool                `json:"bot"`
	WorkInformation                string              `json:"work_information"`
	LocalTime                      string              `json:"local_time"`
	Followers                      int                 `json:"followers"`
	Following                      int                 `json:"following"`
	IsFollowed                     bool                `json:"is_followed"`
	Email                          string              `json:"email"`
	LastSignInAt                   *time.Time          `json:"last_sign_in_at"`
	ConfirmedAt                    *time.Time          `json:"confirmed_at"`
	LastActivityOn                 *baselineDate       `json:"last_activity_on"`
	ThemeID                        int64               `json:"theme_id"`
	ColorSchemeID                  int64               `json:"color_scheme_id"`
	ProjectsLimit                  int64               `json:"projects_limit"`
	CurrentSignInAt                *time.Time          `json:"current_sign_in_at"`
	Identities                     []*baselineIdentity `json:"identities"`
	CanCreateGroup                 bool                `json:"can_create_group"`
	CanCreateProject               bool                `json:"can_create_project"`
	TwoFactorEnabled               bool                `json:"two_factor_enabled"`
	External                       bool                `json:"external"`
	PrivateProfile                 bool                `json:"private_profile"`
	CommitEmail                    string              `json:"commit_email"`
	PreferredLanguage              string              `json:"preferred_language"`
	IsAdmin                        bool                `json:"is_admin"`
	Note                           string              `json:"note"`
	NamespaceID                    int64               `json:"namespace_id"`
	CreatedBy                      *baselineUser       `json:"created_by"`
	EmailResetOfferedAt            *time.Time          `json:"email_reset_offered_at"`
	ProvisionedByProjectID         *int64              `json:"provisioned_by_project_id"`
	HighestRole                    int                 `json:"highest_role"`
	CurrentSignInIP                string              `json:"current_sign_in_ip"`
	LastSignInIP                   string              `json:"last_sign_in_ip"`
	SignInCount                    int64               `json:"sign_in_count"`
	Plan                           string              `json:"plan"`
	Trial                          bool                `json:"trial"`
	SharedRunnersMinutesLimit      *int64              `json:"shared_runners_minutes_limit"`
	ExtraSharedRunnersMinutesLimit *int64              `json:"extra_shared_runners_minutes_limit"`
	IsAuditor                      bool                `json:"is_auditor"`
	UsingLicenseSeat               bool                `json:"using_license_seat"`
	ProvisionedByGroupID           *int64              `json:"provisioned_by_group_id"`
	EnterpriseGroupID              *int64              `json:"enterprise_group_id"`
}

type baselineIdentity struct {
	Provider       string `json:"provider"`
	ExternUID      string `json:"extern_uid"`
	SAMLProviderID int64  `json:"saml_provider_id,omitempty"`
}

type baselineAttr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// baselineDate is a YYYY-MM-DD date, parsed the obvious way.
type baselineDate time.Time

func (d *baselineDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return errors.New("date: not a string")
	}
	t, err := time.Parse("2006-01-02", string(b[1:len(b)-1]))
	if err != nil {
		return err
	}
	*d = baselineDate(t)
	return nil
}

func wantError(err error) error {
	if err == nil {
		return errors.New("a 404 answer returned no error")
	}
	return nil
}
