package gitlabtest_test

// The SDK and the fake are tied: every endpoint an SDK method calls is
// routed in the fake and reached by the contract suite, and every route
// of the fake is reached by the contract suite or listed below as served
// on purpose without an SDK method.

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// servedWithoutSDK lists the routes the fake serves on purpose although
// no SDK method calls them, with the reason.
var servedWithoutSDK = map[string]string{
	"GET /version":                                       "other clients (python-gitlab, client-go, Terraform) read it first to learn which GitLab they talk to; TestServerServesVersionAndMetadata",
	"GET /metadata":                                      "as GET /version",
	"GET /groups":                                        groupsProjectsReason,
	"POST /groups":                                       groupsProjectsReason,
	"GET /groups/:ref":                                   groupsProjectsReason,
	"PUT /groups/:ref":                                   groupsProjectsReason,
	"DELETE /groups/:ref":                                groupsProjectsReason,
	"GET /groups/:ref/subgroups":                         groupsProjectsReason,
	"GET /groups/:ref/descendant_groups":                 groupsProjectsReason,
	"GET /groups/:ref/projects":                          groupsProjectsReason,
	"POST /groups/:ref/share":                            groupsProjectsReason,
	"DELETE /groups/:ref/share/:group_id":                groupsProjectsReason,
	"GET /projects":                                      groupsProjectsReason,
	"POST /projects":                                     groupsProjectsReason,
	"POST /projects/user/:user_id":                       groupsProjectsReason,
	"GET /projects/:ref":                                 groupsProjectsReason,
	"PUT /projects/:ref":                                 groupsProjectsReason,
	"DELETE /projects/:ref":                              groupsProjectsReason,
	"GET /users/:user_id/projects":                       groupsProjectsReason,
	"POST /projects/:ref/share":                          groupsProjectsReason,
	"DELETE /projects/:ref/share/:group_id":              groupsProjectsReason,
	"DELETE /groups/:ref/ldap_group_links/:provider/:cn": "GitLab's older, deprecated form of DELETE /groups/:id/ldap_group_links with cn and provider, which LDAPGroupLinks.Delete sends instead (it takes a cn with a dot); other clients (python-gitlab) still call it; TestDeleteLDAPGroupLinkByProviderPath",
	"GET /events":                                        "the caller's own events, which other clients read (client-go's Events.ListCurrentUserContributionEvents); conformance/activity_test.go drives it, TestUserEventsRecordedThroughTheAPI checks it",
}

// groupsProjectsReason is why the fake serves the Groups and Projects
// API, which the SDK does not cover.
const groupsProjectsReason = "clients in any language (python-gitlab, gitbeaker, client-go, Terraform) create the groups and projects their tests need; groups_projects_test.go"

// TestSDKMethodsAreRouted calls every exported method of every service of
// a Client against the fake and fails when one sends no request or a
// request that matches no route.
func TestSDKMethodsAreRouted(t *testing.T) {
	t.Parallel()
	for method, routes := range sdkRoutes(t) {
		if len(routes) == 0 {
			t.Errorf("%s sent no request (teach sdkArgs valid arguments for it)", method)
		}
		for _, r := range routes {
			if strings.HasSuffix(r, " *") {
				t.Errorf("%s sent %s, which no route of the fake serves", method, strings.TrimSuffix(r, " *"))
			}
		}
	}
}

// checkRouteCoverage checks the routes the contract suite reached
// against the fake's routes and the SDK's methods.
func checkRouteCoverage(t *testing.T, reached map[string]bool) {
	t.Helper()
	bySDK := map[string]string{} // route -> an SDK method that calls it
	for method, routes := range sdkRoutes(t) {
		for _, r := range routes {
			bySDK[r] = method
		}
	}
	for _, r := range gitlabtest.RouteKeys() {
		_, listed := servedWithoutSDK[r]
		switch method, called := bySDK[r]; {
		case listed && called:
			t.Errorf("%s is listed in servedWithoutSDK, but %s calls it: test it in the contract suite instead", r, method)
		case called && !reached[r]:
			t.Errorf("%s is called by %s but the contract suite never reaches it", r, method)
		case !called && !listed:
			t.Errorf("%s is called by no SDK method: list it in servedWithoutSDK with a reason, or remove it", r)
		}
	}
	for r := range servedWithoutSDK {
		if !slices.Contains(gitlabtest.RouteKeys(), r) {
			t.Errorf("servedWithoutSDK lists %s, which is not a route of the fake", r)
		}
	}
}

// sdkRoutes calls every exported method of every service of a Client,
// each on a new server, and returns the routes each call reached, keyed
// "Service.Method" ("METHOD *" is a request that matched no route).
func sdkRoutes(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	client := reflect.ValueOf(&gitlab.Client{}).Elem()
	for i := range client.NumField() {
		field := client.Type().Field(i)
		if !field.IsExported() || !strings.HasSuffix(field.Type.String(), "Service") {
			continue
		}
		for j := range field.Type.NumMethod() {
			m := field.Type.Method(j)
			name := field.Name + "." + m.Name
			out[name] = nil
			for _, args := range sdkArgs(t, name, m.Type) {
				out[name] = append(out[name], sdkCall(field.Name, m.Name, args)...)
			}
		}
	}
	return out
}

// sdkCall calls one method on a new server as its administrator and
// returns the routes its requests reached.
func sdkCall(service, method string, args []reflect.Value) []string {
	s := gitlabtest.NewServer()
	c := s.Client(gitlab.WithoutRetries())
	m := reflect.ValueOf(c).Elem().FieldByName(service).MethodByName(method)
	res := m.Call(args)
	if len(res) == 1 && res[0].Kind() == reflect.Func { // an iter.Seq2: take one item
		stop := reflect.MakeFunc(res[0].Type().In(0), func([]reflect.Value) []reflect.Value {
			return []reflect.Value{reflect.ValueOf(false)}
		})
		res[0].Call([]reflect.Value{stop})
	}
	s.Close() // waits for every request, prefetches included
	var routes []string
	for r := range s.RequestCounts() {
		routes = append(routes, r)
	}
	return routes
}

// sdkArgs returns the argument lists to call a method of type mt with
// (receiver first, variadic request options left out): a context,
// positive IDs, a string, each kind of UserRef, GroupRef and ProjectRef, and options whose string
// fields are set (so that required ones are).
func sdkArgs(t *testing.T, name string, mt reflect.Type) [][]reflect.Value {
	n := mt.NumIn()
	if mt.IsVariadic() {
		n--
	}
	calls := [][]reflect.Value{nil}
	for i := 1; i < n; i++ { // 0 is the receiver
		var vals []reflect.Value
		switch p := mt.In(i); {
		case p == reflect.TypeFor[context.Context]():
			vals = []reflect.Value{reflect.ValueOf(context.Background())}
		case p == reflect.TypeFor[gitlab.UserRef]():
			vals = []reflect.Value{reflect.ValueOf(gitlab.UserID(2)), reflect.ValueOf(gitlab.Username("jane"))}
		case p == reflect.TypeFor[gitlab.GroupRef]():
			vals = []reflect.Value{reflect.ValueOf(gitlab.GroupID(2)), reflect.ValueOf(gitlab.GroupPath("parent/child"))}
		case p == reflect.TypeFor[gitlab.ProjectRef]():
			vals = []reflect.Value{reflect.ValueOf(gitlab.ProjectID(2)), reflect.ValueOf(gitlab.ProjectPath("group/app"))}
		case p == reflect.TypeFor[gitlab.Source]():
			vals = []reflect.Value{reflect.ValueOf(gitlab.GroupID(2)), reflect.ValueOf(gitlab.GroupPath("parent/child")),
				reflect.ValueOf(gitlab.ProjectID(2)), reflect.ValueOf(gitlab.ProjectPath("group/app"))}
		case p == reflect.TypeFor[gitlab.MemberState]():
			vals = []reflect.Value{reflect.ValueOf(gitlab.MemberStateActive)}
		case p == reflect.TypeFor[*gitlab.CreateLDAPGroupLinkOptions](): // exactly one of cn and filter
			level := gitlab.Ptr(gitlab.AccessLevelDeveloper)
			vals = []reflect.Value{
				reflect.ValueOf(&gitlab.CreateLDAPGroupLinkOptions{CN: gitlab.Ptr("x"), GroupAccess: level, Provider: gitlab.Ptr("ldapmain")}),
				reflect.ValueOf(&gitlab.CreateLDAPGroupLinkOptions{Filter: gitlab.Ptr("(cn=x)"), GroupAccess: level, Provider: gitlab.Ptr("ldapmain")}),
			}
		case p == reflect.TypeFor[*gitlab.DeleteLDAPGroupLinkOptions](): // by cn, by provider and cn, by filter
			vals = []reflect.Value{
				reflect.ValueOf(&gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("x")}),
				reflect.ValueOf(&gitlab.DeleteLDAPGroupLinkOptions{CN: gitlab.Ptr("x"), Provider: gitlab.Ptr("ldapmain")}),
				reflect.ValueOf(&gitlab.DeleteLDAPGroupLinkOptions{Filter: gitlab.Ptr("(cn=x)"), Provider: gitlab.Ptr("ldapmain")}),
			}
		case p.Kind() == reflect.String && strings.HasPrefix(name, "Invitations."): // an invitation's email
			vals = []reflect.Value{reflect.ValueOf("jane@example.com")}
		case p.Kind() == reflect.Int64:
			vals = []reflect.Value{reflect.ValueOf(int64(2)).Convert(p)}
		case p.Kind() == reflect.String:
			vals = []reflect.Value{reflect.ValueOf("github").Convert(p)}
		case p == reflect.TypeFor[*gitlab.File]():
			vals = []reflect.Value{reflect.ValueOf(&gitlab.File{Name: "a.png", Content: strings.NewReader("png")})}
		case p.Kind() == reflect.Pointer && p.Elem().Kind() == reflect.Struct:
			// Filled options pass required fields; empty ones pass
			// options whose enum fields the SDK validates.
			vals = []reflect.Value{options(p.Elem()), reflect.New(p.Elem())}
		default:
			t.Fatalf("%s: no synthetic value for a %s parameter; teach sdkArgs", name, p)
		}
		var next [][]reflect.Value
		for _, c := range calls {
			for _, v := range vals {
				next = append(next, append(slices.Clone(c), v.Convert(mt.In(i))))
			}
		}
		calls = next
	}
	return calls
}

// enumValues are valid values for the enum types of required option
// fields; options leaves other enum fields unset.
var enumValues = map[reflect.Type]string{
	reflect.TypeFor[gitlab.RunnerType]():        string(gitlab.RunnerTypeInstance),
	reflect.TypeFor[gitlab.RunnerAccessLevel](): string(gitlab.RunnerAccessLevelNotProtected),
}

// options returns a new *T whose string, []string and bool fields are
// set (and the enum fields of enumValues), so that required ones are and
// a request goes out.
func options(t reflect.Type) reflect.Value {
	v := reflect.New(t)
	for i := range t.NumField() {
		f := v.Elem().Field(i)
		switch ft := f.Type(); {
		case !f.CanSet():
		case ft == reflect.TypeFor[[]string]() && t.Field(i).Name == "Email":
			f.Set(reflect.ValueOf([]string{"jane@example.com"}))
		case ft == reflect.TypeFor[[]string]():
			f.Set(reflect.ValueOf([]string{"api"}))
		case ft == reflect.TypeFor[*gitlab.AccessLevel]():
			f.Set(reflect.ValueOf(gitlab.Ptr(gitlab.AccessLevelDeveloper)))
		case ft == reflect.TypeFor[*string]():
			f.Set(reflect.ValueOf(gitlab.Ptr("x")))
		case ft.Kind() == reflect.Pointer && enumValues[ft.Elem()] != "":
			// The SDK refuses an enum value it does not know.
			p := reflect.New(ft.Elem())
			p.Elem().SetString(enumValues[ft.Elem()])
			f.Set(p)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Bool:
			p := reflect.New(ft.Elem())
			p.Elem().SetBool(true)
			f.Set(p)
		}
	}
	return v
}
