package cloudflare

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/alchemy-go/alchemy/value"
)

// maxAssetSize is the largest file Workers static assets accept.
const maxAssetSize = 25 << 20

// assetFile is one file of an assets directory.
type assetFile struct {
	name string // manifest key, "/" + path relative to the directory
	path string
	hash string
	size int64
	mime string
}

// readAssets lists the files of an assets directory with their hashes:
// hex(sha256(content ‖ extension without the dot))[:32], as the TypeScript
// library computes them. _headers, _redirects, .assetsignore and the
// patterns listed in .assetsignore are left out.
func readAssets(dir string) ([]assetFile, error) {
	ignore := []string{".assetsignore", "_headers", "_redirects"}
	if data, err := os.ReadFile(filepath.Join(dir, ".assetsignore")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				ignore = append(ignore, line)
			}
		}
	}
	ignored := func(rel string) bool {
		return slices.ContainsFunc(ignore, func(g string) bool {
			g = strings.TrimPrefix(g, "/")
			return globMatch(g, rel) || globMatch("**/"+g, rel) || strings.HasPrefix(rel, strings.TrimSuffix(g, "/")+"/")
		})
	}
	var files []assetFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if ignored(rel) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(data) > maxAssetSize {
			return fmt.Errorf("asset %s is %d bytes; Workers accept files up to 25 MiB", rel, len(data))
		}
		ext := strings.TrimPrefix(filepath.Ext(rel), ".")
		sum := sha256.Sum256(append(data, ext...))
		typ := mime.TypeByExtension(filepath.Ext(rel))
		if typ == "" {
			typ = "application/null"
		}
		files = append(files, assetFile{name: "/" + rel, path: p, hash: hex.EncodeToString(sum[:])[:32], size: int64(len(data)), mime: typ})
		return nil
	})
	return files, err
}

// assetsConfig builds the assets config of the upload metadata from the
// Worker's assets prop and the _headers/_redirects files.
func assetsConfig(p props, dir string) (*value.Object, error) {
	cfg, _, err := p.object("assets")
	if err != nil {
		return nil, err
	}
	out := value.Obj("html_handling", value.String("auto-trailing-slash"))
	for _, f := range []string{"_headers", "_redirects"} {
		data, ferr := os.ReadFile(filepath.Join(dir, f))
		given, _ := cfg.Get(f)
		switch {
		case ferr == nil && given != nil:
			return nil, p.errorf("assets."+f, "is also a file in %s: keep one of them", dir)
		case ferr == nil:
			out.Set(f, value.String(data))
		case given != nil:
			out.Set(f, given)
		}
	}
	for _, f := range []string{"html_handling", "not_found_handling", "run_worker_first"} {
		if v, ok := cfg.Get(f); ok {
			out.Set(f, v)
		}
	}
	return out, nil
}

// manifestHash summarizes an assets manifest for the Worker's deploy hash.
func manifestHash(files []assetFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\x00%d\n", f.name, f.hash, f.size)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// uploadAssets runs the upload session: the manifest goes first, then the
// files Cloudflare does not have yet, bucket by bucket with the session
// token. It returns the completion token for the script upload.
func uploadAssets(ctx context.Context, cl *Client, script string, files []assetFile) (string, error) {
	manifest := map[string]map[string]any{}
	byHash := map[string]assetFile{}
	for _, f := range files {
		manifest[f.name] = map[string]any{"hash": f.hash, "size": f.size}
		byHash[f.hash] = f
	}
	path, err := cl.accountPath(ctx, "workers/scripts/"+script+"/assets-upload-session")
	if err != nil {
		return "", err
	}
	var session struct {
		JWT     string     `json:"jwt"`
		Buckets [][]string `json:"buckets"`
	}
	if _, err := cl.Call(ctx, fmt.Sprintf("start the assets upload of Worker %q", script), http.MethodPost, path,
		map[string]any{"manifest": manifest}, &session); err != nil {
		return "", err
	}
	token := session.JWT
	uploadPath, err := cl.accountPath(ctx, "workers/assets/upload?base64=true")
	if err != nil {
		return "", err
	}
	for _, bucket := range session.Buckets {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, hash := range bucket {
			f, ok := byHash[hash]
			if !ok {
				return "", fmt.Errorf("assets upload: Cloudflare asked for unknown file %s", hash)
			}
			data, err := os.ReadFile(f.path)
			if err != nil {
				return "", err
			}
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, hash, hash))
			hdr.Set("Content-Type", f.mime)
			w, err := mw.CreatePart(hdr)
			if err != nil {
				return "", err
			}
			w.Write([]byte(base64.StdEncoding.EncodeToString(data)))
		}
		mw.Close()
		var res struct {
			JWT string `json:"jwt"`
		}
		if _, err := cl.Call(ctx, fmt.Sprintf("upload %d asset files of Worker %q", len(bucket), script), http.MethodPost, uploadPath, nil, &res,
			option.WithRequestBody(mw.FormDataContentType(), body.Bytes()),
			option.WithHeader("Authorization", "Bearer "+session.JWT)); err != nil {
			return "", err
		}
		if res.JWT != "" {
			token = res.JWT
		}
	}
	return token, nil
}
