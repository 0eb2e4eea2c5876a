// Command accessreview writes the seed file (cmd/gitlabfake -seed) of
// the access review measured in BENCHMARKS.md: -users users, each with a
// personal access token, an SSH key, a direct membership of one of
// -groups groups (each with two subgroups and a project), and one user
// in five also a direct member of their group's project.
//
//	go run ./accessreview -users 10000 > /tmp/review-seed.json
//
// run.sh in this directory starts the fake with it and measures the
// review.
package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
)

type member struct {
	Username    string `json:"username"`
	AccessLevel int    `json:"access_level"`
}

type key struct {
	Title string `json:"title"`
	Key   string `json:"key"`
}

type token struct {
	Name      string   `json:"name"`
	Scopes    []string `json:"scopes"`
	ExpiresAt string   `json:"expires_at"`
}

type user struct {
	Username string  `json:"username"`
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	Tokens   []token `json:"tokens"`
	SSHKeys  []key   `json:"ssh_keys"`
}

type source struct {
	Path    string   `json:"path"`
	Parent  string   `json:"parent,omitempty"`
	Group   string   `json:"group,omitempty"`
	Members []member `json:"members"`
}

type seed struct {
	Users    []user   `json:"users"`
	Groups   []source `json:"groups"`
	Projects []source `json:"projects"`
}

// sshKey is a well-formed ed25519 public key line, from r.
func sshKey(r *rand.ChaCha8, comment string) string {
	seedBytes := make([]byte, ed25519.SeedSize)
	r.Read(seedBytes)
	pub := ed25519.NewKeyFromSeed(seedBytes).Public().(ed25519.PublicKey)
	var b []byte
	for _, part := range [][]byte{[]byte("ssh-ed25519"), pub} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(part)))
		b = append(b, part...)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(b) + " " + comment
}

func main() {
	users := flag.Int("users", 10000, "number of users")
	groups := flag.Int("groups", 50, "number of top-level groups")
	flag.Parse()
	r := rand.NewChaCha8([32]byte{1})
	var s seed
	for g := range *groups {
		top := fmt.Sprintf("team%d", g)
		s.Groups = append(s.Groups, source{Path: top}, source{Path: "backend", Parent: top}, source{Path: "frontend", Parent: top})
		s.Projects = append(s.Projects, source{Path: "app", Group: top + "/backend"})
	}
	for i := range *users {
		name := fmt.Sprintf("person%d", i)
		s.Users = append(s.Users, user{Username: name, Name: "Person " + fmt.Sprint(i), Email: name + "@example.com",
			Tokens:  []token{{Name: "laptop", Scopes: []string{"read_api"}, ExpiresAt: "2099-01-31"}},
			SSHKeys: []key{{Title: "laptop", Key: sshKey(r, name+"@laptop")}}})
		g := i % *groups
		s.Groups[3*g].Members = append(s.Groups[3*g].Members, member{Username: name, AccessLevel: 30})
		if i%5 == 0 {
			s.Projects[g].Members = append(s.Projects[g].Members, member{Username: name, AccessLevel: 40})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(&s); err != nil {
		log.Fatal(err)
	}
}
