package gitlabtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// A seed file describes users, groups and projects as JSON, for
// LoadSeed and cmd/gitlabfake's -seed. Its format is documented with
// cmd/gitlabfake; these types are it.
type (
	seedFile struct {
		Users    []seedUser    `json:"users"`
		Groups   []seedGroup   `json:"groups"`
		Projects []seedProject `json:"projects"`
		// DeployKeys come after the users and projects they name.
		DeployKeys []seedDeployKey `json:"deploy_keys"`
	}
	seedDeployKey struct {
		Title     string `json:"title"`
		Key       string `json:"key"`
		UsageType string `json:"usage_type"`
		User      string `json:"user"`
		Public    bool   `json:"public"`
		ExpiresAt string `json:"expires_at"`
		// Projects are full paths of projects the key is enabled in.
		Projects []seedDeployKeyProject `json:"projects"`
	}
	seedDeployKeyProject struct {
		Project string `json:"project"`
		CanPush bool   `json:"can_push"`
	}
	seedUser struct {
		Username         string            `json:"username"`
		Name             string            `json:"name"`
		Email            string            `json:"email"`
		Password         string            `json:"password"`
		State            string            `json:"state"`
		Admin            bool              `json:"admin"`
		Bot              bool              `json:"bot"`
		External         bool              `json:"external"`
		Token            string            `json:"token"`
		Identities       []seedIdentity    `json:"identities"`
		CustomAttributes map[string]string `json:"custom_attributes"`
		SSHKeys          []seedSSHKey      `json:"ssh_keys"`
		GPGKeys          []seedGPGKey      `json:"gpg_keys"`
		Emails           []seedEmail       `json:"emails"`
		Tokens           []seedToken       `json:"tokens"`
	}
	seedIdentity struct {
		Provider  string `json:"provider"`
		ExternUID string `json:"extern_uid"`
	}
	seedSSHKey struct {
		Title string `json:"title"`
		Key   string `json:"key"`
	}
	seedGPGKey struct {
		Key string `json:"key"`
	}
	seedEmail struct {
		Email     string `json:"email"`
		Confirmed bool   `json:"confirmed"`
	}
	seedToken struct {
		Name          string   `json:"name"`
		Token         string   `json:"token"`
		Scopes        []string `json:"scopes"`
		ExpiresAt     string   `json:"expires_at"`
		Impersonation bool     `json:"impersonation"`
		Revoked       bool     `json:"revoked"`
	}
	seedGroup struct {
		Path       string       `json:"path"`
		Name       string       `json:"name"`
		Parent     string       `json:"parent"`
		Visibility string       `json:"visibility"`
		Members    []seedMember `json:"members"`
	}
	seedProject struct {
		Path       string       `json:"path"`
		Name       string       `json:"name"`
		Group      string       `json:"group"`
		Visibility string       `json:"visibility"`
		Members    []seedMember `json:"members"`
	}
	seedMember struct {
		Username    string `json:"username"`
		AccessLevel int    `json:"access_level"`
	}
)

// SeedError is a fault in a seed file: where it is and what is wrong.
type SeedError struct {
	// Line is the line (from 1) where the faulty value, or the object
	// that lacks it, starts.
	Line int
	// Path is the JSON path of the value, e.g.
	// "users[2].tokens[0].expires_at"; empty for a syntax error.
	Path string
	// Problem says what is wrong.
	Problem string
}

// Error reads "line 7: users[2].state: must be one of active, ...".
func (e *SeedError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, e.Problem)
}

// LoadSeed reads a seed file and stores what it describes: users with
// their passwords, states, identities, custom attributes, SSH and GPG
// keys, emails and tokens (with the secrets it gives), then groups and
// projects with their members. The format is cmd/gitlabfake's (go doc
// github.com/gitlabusers/gitlab/cmd/gitlabfake), so that a test in Go and
// a test in another language can share a file.
//
// It stores everything or nothing: a file that is not JSON, has a field
// the format does not know or a value of the wrong type, or describes
// something that clashes with itself or with the server (a taken
// username, email, token secret or key, a group that is not there) is
// refused with a *SeedError naming the line and the JSON path of the
// first fault, and the server is left as it was. Like the other seeding
// methods it bypasses the API and its validations (a password is stored
// as given). Reset after LoadSeed drops what it stored; pass a setup that
// loads the file again to keep it.
func (s *Server) LoadSeed(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	d, err := decodeSeed(data)
	if err != nil {
		return err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := d.check(s.st); err != nil {
		return err
	}
	d.store(s.st, now)
	return nil
}

// seedDoc is a decoded seed file and where each of its values starts.
type seedDoc struct {
	seedFile
	data []byte
	pos  map[string]int64 // JSON path -> offset of its value
}

// decodeSeed decodes data, refusing a syntax error, an unknown field or
// a value of the wrong type with the line and path of the first.
func decodeSeed(data []byte) (*seedDoc, error) {
	d := &seedDoc{data: data, pos: map[string]int64{}}
	// A first pass reads the tokens, to know where each value starts,
	// which the decoder's errors do not say, and to name an unknown
	// field's place.
	walker := json.NewDecoder(bytes.NewReader(data))
	walker.UseNumber() // any number is a token; Decode checks its range
	err := d.walk(walker, reflect.TypeFor[seedFile](), "")
	if err == nil {
		if _, err = walker.Token(); err == io.EOF {
			err = nil
		} else if err == nil {
			err = &SeedError{Line: d.line(walker.InputOffset()), Problem: "more JSON after the seed object"}
		}
	}
	var syntax *json.SyntaxError
	switch {
	case err == nil:
	case errors.As(err, new(*SeedError)):
		return nil, err
	case errors.As(err, &syntax):
		return nil, &SeedError{Line: d.line(syntax.Offset), Problem: syntax.Error()}
	case err == io.EOF && len(d.pos) == 1:
		return nil, &SeedError{Line: 1, Problem: "the file is empty"}
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &SeedError{Line: d.line(int64(len(data))), Problem: "unexpected end of file"}
	default:
		return nil, &SeedError{Line: d.line(walker.InputOffset()), Problem: err.Error()}
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&d.seedFile)
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ):
		// Offset is just past the value (past the opening delimiter of
		// an object or array), so the value is the last to start before.
		path := d.pathBefore(typ.Offset)
		return nil, d.fault(path, "got "+typ.Value+", want "+jsonKind(typ.Type))
	case err != nil:
		return nil, &SeedError{Line: 1, Problem: err.Error()}
	}
	return d, nil
}

// walk reads one value from dec, whose Go form has type t, and records
// where it and every value in it start. It refuses an object key that
// names no field of t.
func (d *seedDoc) walk(dec *json.Decoder, t reflect.Type, path string) error {
	d.pos[path] = d.start(dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			keyAt := d.start(dec.InputOffset())
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			child := key
			if path != "" {
				child = path + "." + key
			}
			ft := reflect.TypeFor[any]() // a value of the wrong kind: Decode says so
			switch t.Kind() {
			case reflect.Struct:
				f, ok := jsonField(t, key)
				if !ok {
					return &SeedError{Line: d.line(keyAt), Path: child, Problem: "unknown field " + strconv.Quote(key)}
				}
				ft = f.Type
			case reflect.Map:
				ft = t.Elem()
			}
			if err := d.walk(dec, ft, child); err != nil {
				return err
			}
		}
	case json.Delim('['):
		et := reflect.TypeFor[any]()
		if t.Kind() == reflect.Slice {
			et = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := d.walk(dec, et, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// jsonField finds the field of struct t that key names, matched as
// encoding/json matches it (its tag, exactly or ignoring case).
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonKind names the JSON a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// start is where the value after offset off begins: past the white
// space, commas and colons between tokens.
func (d *seedDoc) start(off int64) int64 {
	for off < int64(len(d.data)) && strings.IndexByte(" \t\r\n,:", d.data[off]) >= 0 {
		off++
	}
	return off
}

// line is the line (from 1) holding offset off.
func (d *seedDoc) line(off int64) int {
	off = min(max(off, 0), int64(len(d.data)))
	return 1 + bytes.Count(d.data[:off], []byte("\n"))
}

// pathBefore is the path of the last value that starts before off.
func (d *seedDoc) pathBefore(off int64) string {
	best, at := "", int64(-1)
	for p, o := range d.pos {
		if o < off && o > at {
			best, at = p, o
		}
	}
	return best
}

// fault is a *SeedError at path. A value the file leaves out (a
// defaulted email) is placed on the line of the object that lacks it.
func (d *seedDoc) fault(path, problem string) *SeedError {
	p := path
	for {
		if off, ok := d.pos[p]; ok {
			return &SeedError{Line: d.line(off), Path: path, Problem: problem}
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return &SeedError{Line: 1, Path: path, Problem: problem}
		}
		p = p[:i]
	}
}

// The values a seed file may give, beside the empty default.
var (
	seedStates = []string{string(StateActive), string(StateBlocked), string(StateLDAPBlocked),
		string(StateDeactivated), string(StateBanned), string(StateBlockedPendingApproval)}
	seedVisibilities = []string{"private", "internal", "public"}
	seedLevels       = []int{AccessGuest, AccessPlanner, AccessReporter, AccessDeveloper, AccessMaintainer, AccessOwner}
)

// check refuses a seed that is wrong in itself or clashes with st.
// Reads only.
func (d *seedDoc) check(st *model.Store) error {
	// taken holds what the seed claims, by kind and key (lower-cased
	// where GitLab ignores case), beside the keys, identities, groups and
	// projects st holds.
	taken := map[[2]string]bool{}
	for _, k := range st.SSHKeys(0) {
		taken[[2]string{"ssh key", k.Fingerprint}] = true
	}
	for _, k := range st.GPGKeys(0) {
		taken[[2]string{"gpg key", model.GPGFingerprint(k.Key)}] = true
	}
	for _, u := range st.UsersByID() {
		for _, id := range u.Identities {
			taken[[2]string{"identity", strings.ToLower(id.Provider + "\x00" + id.ExternUID)}] = true
		}
	}
	for _, g := range st.Groups() {
		taken[[2]string{"group", strings.ToLower(g.FullPath)}] = true
	}
	for _, p := range st.Projects() {
		taken[[2]string{"project", strings.ToLower(p.PathWithNamespace)}] = true
	}
	// claim records a key of a kind, or says that the seed or st
	// (inStore) has it already.
	claim := func(kind, key string, inStore bool) bool {
		k := [2]string{kind, key}
		if inStore || taken[k] {
			return false
		}
		taken[k] = true
		return true
	}
	secret := func(path, s string) error {
		if s != "" && !claim("secret", s, st.SecretTaken(s)) {
			return d.fault(path, "is another token's secret")
		}
		return nil
	}
	email := func(path, addr string) error {
		used, unconfirmed := st.EmailUse(addr, 0)
		if !claim("email", strings.ToLower(addr), used || unconfirmed) {
			return d.fault(path, strconv.Quote(addr)+" has already been taken")
		}
		return nil
	}

	for i, u := range d.Users {
		at := "users[" + strconv.Itoa(i) + "]."
		switch {
		case u.Username == "":
			return d.fault(at+"username", "is required")
		case !claim("user", strings.ToLower(u.Username), st.UserByName(u.Username) != nil):
			return d.fault(at+"username", "has already been taken")
		case u.State != "" && !slices.Contains(seedStates, u.State):
			return d.fault(at+"state", "must be one of "+strings.Join(seedStates, ", "))
		}
		if err := email(at+"email", cmp.Or(u.Email, strings.ToLower(u.Username)+"@example.com")); err != nil {
			return err
		}
		if err := secret(at+"token", u.Token); err != nil {
			return err
		}
		for j, id := range u.Identities {
			p := at + "identities[" + strconv.Itoa(j) + "]."
			switch {
			case id.Provider == "":
				return d.fault(p+"provider", "is required")
			case !claim("provider of "+u.Username, strings.ToLower(id.Provider), false):
				return d.fault(p+"provider", "is already linked to this user")
			case id.ExternUID != "" && !claim("identity", strings.ToLower(id.Provider+"\x00"+id.ExternUID), false):
				return d.fault(p+"extern_uid", "has already been taken for this provider")
			}
		}
		for _, k := range slices.Sorted(maps.Keys(u.CustomAttributes)) {
			if k == "" || u.CustomAttributes[k] == "" {
				return d.fault(at+"custom_attributes."+k, "needs a key and a value")
			}
		}
		for j, k := range u.SSHKeys {
			p := at + "ssh_keys[" + strconv.Itoa(j) + "]."
			fp, ok := model.SSHFingerprint(k.Key)
			switch {
			case k.Title == "":
				return d.fault(p+"title", "is required")
			case !ok:
				return d.fault(p+"key", "is not an OpenSSH public key line")
			case !claim("ssh key", fp, false):
				return d.fault(p+"key", "has already been taken (its fingerprint is another key's)")
			}
		}
		for j, k := range u.GPGKeys {
			p := at + "gpg_keys[" + strconv.Itoa(j) + "].key"
			switch {
			case !model.GPGKeyValid(k.Key):
				return d.fault(p, "does not appear to be a valid PGP public key")
			case !claim("gpg key", model.GPGFingerprint(k.Key), false):
				return d.fault(p, "has already been taken (its fingerprint is another key's)")
			}
		}
		for j, e := range u.Emails {
			p := at + "emails[" + strconv.Itoa(j) + "].email"
			if e.Email == "" {
				return d.fault(p, "is required")
			}
			if err := email(p, e.Email); err != nil {
				return err
			}
		}
		for j, t := range u.Tokens {
			p := at + "tokens[" + strconv.Itoa(j) + "]."
			if err := secret(p+"token", t.Token); err != nil {
				return err
			}
			for k, sc := range t.Scopes {
				if !slices.Contains(model.AvailableScopes, sc) {
					return d.fault(p+"scopes["+strconv.Itoa(k)+"]", strconv.Quote(sc)+" is not a scope GitLab knows")
				}
			}
			if _, err := parseSeedDate(t.ExpiresAt); err != nil {
				return d.fault(p+"expires_at", "is not a date (YYYY-MM-DD)")
			}
		}
	}

	known := func(username string) bool {
		return taken[[2]string{"user", strings.ToLower(username)}] || st.UserByName(username) != nil
	}
	members := func(at string, ms []seedMember) error {
		for j, m := range ms {
			p := at + "members[" + strconv.Itoa(j) + "]."
			switch {
			case !known(m.Username):
				return d.fault(p+"username", "no user has this username")
			case !claim("member of "+at, strings.ToLower(m.Username), false):
				return d.fault(p+"username", "is already a member")
			case !slices.Contains(seedLevels, m.AccessLevel):
				return d.fault(p+"access_level", "must be one of 10, 15, 20, 30, 40, 50")
			}
		}
		return nil
	}
	// place checks a group's or a project's path, its namespace (a
	// group's full path) and visibility, and claims its full path.
	place := func(at, kind, path, parent, parentField, visibility string) error {
		full := strings.ToLower(path)
		if parent != "" {
			full = strings.ToLower(parent) + "/" + full
		}
		switch {
		case path == "":
			return d.fault(at+"path", "is required")
		case strings.Contains(path, "/"):
			return d.fault(at+"path", "is one path segment (a subgroup names its parent in parent)")
		case parent != "" && !taken[[2]string{"group", strings.ToLower(parent)}]:
			return d.fault(at+parentField, "no group has this full path")
		case visibility != "" && !slices.Contains(seedVisibilities, visibility):
			return d.fault(at+"visibility", "must be one of "+strings.Join(seedVisibilities, ", "))
		case !claim(kind, full, false):
			return d.fault(at+"path", strconv.Quote(full)+" has already been taken")
		}
		return nil
	}
	for i, g := range d.Groups {
		at := "groups[" + strconv.Itoa(i) + "]."
		if err := place(at, "group", g.Path, g.Parent, "parent", g.Visibility); err != nil {
			return err
		}
		if err := members(at, g.Members); err != nil {
			return err
		}
	}
	for i, p := range d.Projects {
		at := "projects[" + strconv.Itoa(i) + "]."
		if p.Group == "" {
			return d.fault(at+"group", "is required (a project lives in a group)")
		}
		if err := place(at, "project", p.Path, p.Group, "group", p.Visibility); err != nil {
			return err
		}
		if err := members(at, p.Members); err != nil {
			return err
		}
	}
	for _, k := range st.DeployKeys(false) {
		taken[[2]string{"ssh key", k.FingerprintSHA256}] = true
	}
	for i, k := range d.DeployKeys {
		at := "deploy_keys[" + strconv.Itoa(i) + "]."
		fp, ok := model.SSHFingerprint(k.Key)
		_, dateErr := parseSeedDate(k.ExpiresAt)
		switch {
		case k.Title == "":
			return d.fault(at+"title", "is required")
		case !ok:
			return d.fault(at+"key", "is not an OpenSSH public key line")
		case !claim("ssh key", fp, false):
			return d.fault(at+"key", "has already been taken (its fingerprint is another key's)")
		case k.UsageType != "" && !slices.Contains([]string{model.UsageAuth, model.UsageSigning, model.UsageAuthAndSigning}, k.UsageType):
			return d.fault(at+"usage_type", "must be one of auth, signing, auth_and_signing")
		case k.User != "" && !known(k.User):
			return d.fault(at+"user", "no user has this username")
		case dateErr != nil:
			return d.fault(at+"expires_at", "is not a date (YYYY-MM-DD)")
		}
		for j, p := range k.Projects {
			if !taken[[2]string{"project", strings.ToLower(p.Project)}] {
				return d.fault(at+"projects["+strconv.Itoa(j)+"].project", "no project has this full path")
			}
		}
	}
	return nil
}

// parseSeedDate reads a YYYY-MM-DD day; "" is no day.
func parseSeedDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// store adds the checked seed to st.
func (d *seedDoc) store(st *model.Store, now time.Time) {
	for _, su := range d.Users {
		spec := UserSpec{Username: su.Username, Name: su.Name, Email: su.Email, Password: su.Password,
			State: gitlab.UserState(su.State), Admin: su.Admin, Bot: su.Bot, External: su.External,
			CustomAttributes: su.CustomAttributes}
		for _, id := range su.Identities {
			spec.Identities = append(spec.Identities, UserIdentity{Provider: id.Provider, ExternUID: id.ExternUID})
		}
		u := addUser(st, spec, now)
		if su.Token != "" {
			st.AddToken(u.ID, "seed", seedScopes(su.Admin), false, nil, su.Token, now)
		}
		for _, k := range su.SSHKeys {
			st.AddSSHKey(u.ID, k.Title, k.Key, "auth_and_signing", nil, now)
		}
		for _, k := range su.GPGKeys {
			st.AddGPGKey(u.ID, k.Key, now)
		}
		for _, e := range su.Emails {
			var confirmed *time.Time
			if e.Confirmed {
				confirmed = model.PtrTime(now)
			}
			st.AddEmail(u.ID, e.Email, confirmed, now)
		}
		for _, t := range su.Tokens {
			expires, _ := parseSeedDate(t.ExpiresAt)
			addToken(st, u.ID, TokenSpec{Name: t.Name, Scopes: t.Scopes, ExpiresAt: expires,
				Revoked: t.Revoked, Impersonation: t.Impersonation, Token: t.Token}, now)
		}
	}
	addMembers := func(ms []seedMember, source string, id int64, name string) {
		for _, m := range ms {
			st.AddMember(st.UserByName(m.Username), source, id, name, m.AccessLevel)
		}
	}
	// groups are found by lower-cased full path, as check found them.
	groups := map[string]*group{}
	for _, g := range st.Groups() {
		groups[strings.ToLower(g.FullPath)] = g
	}
	for _, sg := range d.Groups {
		spec := GroupSpec{Path: sg.Path, Name: sg.Name, Visibility: sg.Visibility}
		if sg.Parent != "" {
			spec.ParentID = groups[strings.ToLower(sg.Parent)].ID
		}
		g := st.AddGroup(spec, now)
		groups[strings.ToLower(g.FullPath)] = g
		addMembers(sg.Members, SourceNamespace, g.ID, g.Name)
	}
	for _, sp := range d.Projects {
		p := st.AddProject(ProjectSpec{Path: sp.Path, Name: sp.Name, Visibility: sp.Visibility,
			GroupID: groups[strings.ToLower(sp.Group)].ID}, now)
		addMembers(sp.Members, SourceProject, p.ID, p.Name)
	}
	for _, k := range d.DeployKeys {
		spec := model.DeployKeySpec{Title: k.Title, Key: k.Key, UsageType: k.UsageType, Public: k.Public}
		if u := st.UserByName(k.User); k.User != "" && u != nil {
			spec.UserID = u.ID
		}
		if t, _ := parseSeedDate(k.ExpiresAt); !t.IsZero() {
			spec.ExpiresAt = &t
		}
		for _, p := range k.Projects {
			spec.Projects = append(spec.Projects, model.DeployKeyProject{ProjectID: st.FindProject(p.Project).ID, CanPush: p.CanPush})
		}
		st.AddDeployKey(spec, now)
	}
}
