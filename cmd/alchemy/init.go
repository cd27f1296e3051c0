package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/types"
)

// starter holds the files alchemy init writes: a program with a KV namespace and a Worker bound to it,
// the Worker, and the lines of .gitignore (stored without the dot, which embedding would skip).
//
//go:embed starter
var starter embed.FS

// appPlaceholder is the app name in the starter program, replaced by one made from the directory.
const appPlaceholder = `"__APP__"`

// gitignoreLines are the .gitignore lines alchemy init makes sure of: state and local data are ignored,
// the declarations are kept so that a fresh clone type-checks before any alchemy command ran.
var gitignoreLines = []string{".alchemy/*", "!.alchemy/types/"}

// runInitCommand is `alchemy init [DIR] [--force]`.
func runInitCommand(_ context.Context, c cli, args []string) int {
	flags := flag.NewFlagSet("alchemy init", flag.ContinueOnError)
	flags.SetOutput(c.stderr)
	force := flags.Bool("force", false, "overwrite alchemy.run.ts, src/worker.ts and tsconfig.json when they exist")
	flags.Usage = func() {
		fmt.Fprint(c.stderr, `usage: alchemy init [DIR] [--force]

Writes a starter project into DIR (default: the current directory; created if missing): alchemy.run.ts
(an app with a KV namespace and a Worker bound to it), src/worker.ts, tsconfig.json and the type
declarations in .alchemy/types, so that an editor and tsc resolve "alchemy" and "alchemy/cloudflare"
with no node_modules. .gitignore gets the lines that keep the declarations and ignore the rest of
.alchemy. Existing files are left alone unless --force.

Flags:
`)
		flags.PrintDefaults()
	}
	dir, code := dirArgument(flags, args, c.stderr)
	if code >= 0 {
		return code
	}
	if err := initProject(dir, *force, c.stdout); err != nil {
		fmt.Fprintf(c.stderr, "alchemy init: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// runTypesCommand is `alchemy types [DIR]`.
func runTypesCommand(_ context.Context, c cli, args []string) int {
	flags := flag.NewFlagSet("alchemy types", flag.ContinueOnError)
	flags.SetOutput(c.stderr)
	flags.Usage = func() {
		fmt.Fprintf(c.stderr, `usage: alchemy types [DIR]

Rewrites the type declarations of this alchemy binary into DIR/%s (default: the current directory),
after an upgrade. When tsconfig.json puts @types/node or @cloudflare/workers-types in the compilation,
the declarations they replace are left out of index.d.ts.
`, types.Dir)
	}
	dir, code := dirArgument(flags, args, c.stderr)
	if code >= 0 {
		return code
	}
	if err := writeTypes(dir, c.stdout); err != nil {
		fmt.Fprintf(c.stderr, "alchemy types: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// dirArgument parses flags and an optional directory in any order. It returns the directory, or an
// exit code (>= 0) when the command line is done with (help, or a usage error).
func dirArgument(flags *flag.FlagSet, args []string, stderr io.Writer) (string, int) {
	var dirs []string
	for {
		if err := flags.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", exitOK
			}
			return "", exitUsage
		}
		if flags.NArg() == 0 {
			break
		}
		dirs = append(dirs, flags.Arg(0))
		args = flags.Args()[1:]
	}
	switch len(dirs) {
	case 0:
		return ".", -1
	case 1:
		return dirs[0], -1
	}
	fmt.Fprintf(stderr, "%s: want at most one directory, got %q\n", flags.Name(), dirs)
	return "", exitUsage
}

// initProject writes the starter project into dir.
func initProject(dir string, force bool, out io.Writer) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return err
	}
	opts := types.Installed(abs)
	files := map[string][]byte{types.TSConfigFile: types.NewTSConfig(opts).JSON()}
	err = fs.WalkDir(starter, "starter", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "starter/gitignore" {
			return err
		}
		data, err := starter.ReadFile(p)
		files[strings.TrimPrefix(p, "starter/")] = data
		return err
	})
	if err != nil {
		return err
	}
	files["alchemy.run.ts"] = bytes.Replace(files["alchemy.run.ts"], []byte(appPlaceholder), []byte(strconv.Quote(appName(abs))), 1)
	names := slices.Sorted(maps.Keys(files))
	if !force {
		var existing []string
		for _, name := range names {
			if _, err := os.Stat(filepath.Join(abs, filepath.FromSlash(name))); err == nil {
				existing = append(existing, name)
			}
		}
		if len(existing) > 0 {
			return fmt.Errorf("%s already has %s: use --force to overwrite, or alchemy types to write only the declarations",
				dir, strings.Join(existing, ", "))
		}
	}
	for _, name := range names {
		p := filepath.Join(abs, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s\n", name)
	}
	if err := types.Write(abs, opts); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%s)\n", types.Dir, layersNote(opts))
	changed, err := updateGitignore(filepath.Join(abs, ".gitignore"))
	if err != nil {
		return err
	}
	if changed != "" {
		fmt.Fprintf(out, "%s .gitignore\n", changed)
	}
	cd := ""
	if filepath.Clean(dir) != "." {
		cd = "cd " + dir + " && "
	}
	fmt.Fprintf(out, "\nNext: %salchemy dev (everything local), or alchemy run to deploy with CLOUDFLARE_API_TOKEN set.\n", cd)
	return nil
}

// writeTypes rewrites the declarations of the project in dir.
func writeTypes(dir string, out io.Writer) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	opts, err := types.Detect(abs)
	if err != nil {
		return err
	}
	if err := types.Write(abs, opts); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%s)\n", filepath.Join(dir, types.Dir), layersNote(opts))
	info, err := types.ReadTSConfig(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(out, "no %s: write one that includes %s/%s (alchemy init writes one)\n", types.TSConfigFile, types.Dir, types.IndexFile)
	case err != nil:
		return err
	case !info.IncludesIndex():
		fmt.Fprintf(out, "%s does not include %s/%s: add it to \"include\" so that tsc and editors see the declarations\n",
			types.TSConfigFile, types.Dir, types.IndexFile)
	}
	return nil
}

// layersNote says which layers index.d.ts references.
func layersNote(opts types.Options) string {
	note := "index.d.ts references " + strings.Join(opts.Layers(), ", ")
	switch {
	case opts.NodeTypes && opts.WorkersTypes:
		note += "; @types/node and @cloudflare/workers-types declare the rest"
	case opts.NodeTypes:
		note += "; @types/node declares the rest"
	case opts.WorkersTypes:
		note += "; @cloudflare/workers-types declares the rest"
	}
	return note
}

// unrooted is a .gitignore line without surrounding spaces and without the slash that anchors it to the
// file's directory ("/.alchemy/*" and ".alchemy/*" mean the same at the root), negation kept.
func unrooted(line string) string {
	line = strings.TrimSpace(line)
	if neg, ok := strings.CutPrefix(line, "!"); ok {
		return "!" + strings.TrimPrefix(neg, "/")
	}
	return strings.TrimPrefix(line, "/")
}

var notAppNameChar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9-]+`) })

// appName makes an app name of a directory's name: lower case letters, digits and dashes.
func appName(dir string) string {
	name := strings.Trim(notAppNameChar().ReplaceAllString(strings.ToLower(filepath.Base(dir)), "-"), "-")
	if name == "" {
		return "app"
	}
	return name
}

// updateGitignore makes sure .gitignore ignores .alchemy but for its declarations. A line ignoring the
// whole directory (".alchemy/") becomes ".alchemy/*": git cannot re-include a file whose directory is
// ignored. It returns what it did ("wrote", "updated", or "" for nothing).
func updateGitignore(name string) (string, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		content, err := starter.ReadFile("starter/gitignore")
		if err != nil {
			return "", err
		}
		return "wrote", os.WriteFile(name, content, 0o644)
	}
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	changed := false
	for i, line := range lines {
		switch strings.TrimSpace(line) {
		case ".alchemy", ".alchemy/", "/.alchemy", "/.alchemy/":
			lines[i] = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(line), "/"), ".alchemy") + ".alchemy/*"
			changed = true
		}
	}
	for _, want := range gitignoreLines {
		has := false
		for _, line := range lines {
			has = has || unrooted(line) == want
		}
		if !has {
			lines = append(lines, want)
			changed = true
		}
	}
	if !changed {
		return "", nil
	}
	return "updated", os.WriteFile(name, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
