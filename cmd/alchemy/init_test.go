package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAppName(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"/home/me/proj", "proj"},
		{"/srv/My_Site.v2", "my-site-v2"},
		{"/tmp/--Weird  Name--", "weird-name"},
		{"/tmp/ünïcode", "n-code"},
		{"/tmp/___", "app"},
	}
	for _, tt := range tests {
		if got := appName(tt.dir); got != tt.want {
			t.Errorf("appName(%q) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}

func TestUpdateGitignore(t *testing.T) {
	starterLines, err := starter.ReadFile("starter/gitignore")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, before string
		exists       bool
		want, did    string
	}{
		{name: "none", want: string(starterLines), did: "wrote"},
		{name: "kept", exists: true, before: "dist\n.alchemy/*\n!.alchemy/types/\n", want: "dist\n.alchemy/*\n!.alchemy/types/\n"},
		{name: "rooted lines count", exists: true, before: "/.alchemy/*\n!/.alchemy/types/\n", want: "/.alchemy/*\n!/.alchemy/types/\n"},
		{name: "whole directory", exists: true, before: "node_modules\n.alchemy/\n", want: "node_modules\n.alchemy/*\n!.alchemy/types/\n", did: "updated"},
		{name: "rooted directory", exists: true, before: "/.alchemy", want: "/.alchemy/*\n!.alchemy/types/\n", did: "updated"},
		{name: "nothing about it", exists: true, before: "dist\n", want: "dist\n.alchemy/*\n!.alchemy/types/\n", did: "updated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), ".gitignore")
			if tt.exists {
				if err := os.WriteFile(name, []byte(tt.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			did, err := updateGitignore(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || did != tt.did {
				t.Errorf("updateGitignore(%q) = %q, file\n%s\nwant %q, file\n%s", tt.before, did, got, tt.did, tt.want)
			}
		})
	}
}
