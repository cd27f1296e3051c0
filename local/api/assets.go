package api

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
)

// assetToken is the payload of the tokens of the asset upload flow: an
// "upload" token authorises uploading a manifest's files, a "complete"
// token is what a script upload's metadata.assets.jwt carries.
type assetToken struct {
	Kind     string                      `json:"kind"`
	Account  string                      `json:"account"`
	Script   string                      `json:"script"`
	Manifest map[string]store.AssetEntry `json:"manifest"`
	Expires  int64                       `json:"exp"`
}

const assetBucketSize = 20

func (h *Handler) assetsUploadSession(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Manifest map[string]store.AssetEntry `json:"manifest"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	hashes := map[string]bool{}
	for path, e := range body.Manifest {
		if !strings.HasPrefix(path, "/") || e.Hash == "" {
			writeError(w, r, http.StatusBadRequest, 10021, "manifest entry "+path+" needs a leading / and a hash")
			return
		}
		hashes[e.Hash] = true
	}
	list := make([]string, 0, len(hashes))
	for hsh := range hashes {
		list = append(list, hsh)
	}
	sort.Strings(list)
	missing, err := h.st.MissingAssets(r.Context(), list)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	tok := assetToken{Kind: "upload", Account: acct, Script: r.PathValue("script_name"), Manifest: body.Manifest, Expires: time.Now().Add(time.Hour).Unix()}
	if len(missing) == 0 {
		tok.Kind = "complete"
	}
	jwt, err := h.st.SealToken(tok)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	buckets := [][]string{}
	for i := 0; i < len(missing); i += assetBucketSize {
		buckets = append(buckets, missing[i:min(i+assetBucketSize, len(missing))])
	}
	ok(w, map[string]any{"jwt": jwt, "buckets": buckets})
}

// assetsUpload stores asset files. It is authorised by the upload
// session's token, not by an API token.
func (h *Handler) assetsUpload(w http.ResponseWriter, r *http.Request) {
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	var tok assetToken
	if err := h.st.OpenToken(bearer, &tok); err != nil || tok.Kind != "upload" || tok.Account != r.PathValue("account_id") || time.Now().Unix() > tok.Expires {
		writeError(w, r, http.StatusUnauthorized, 10000, "Authentication error: invalid or expired upload session token")
		return
	}
	wanted := map[string]bool{}
	for _, e := range tok.Manifest {
		wanted[e.Hash] = true
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, "expected a multipart/form-data body")
		return
	}
	b64 := queryBool(r, "base64")
	mr := multipart.NewReader(io.LimitReader(r.Body, 128<<20), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeError(w, r, http.StatusBadRequest, 10021, "reading multipart body: "+err.Error())
			return
		}
		hash := p.FileName()
		if hash == "" {
			hash = p.FormName()
		}
		data, err := io.ReadAll(p)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, 10021, "reading part "+hash+": "+err.Error())
			return
		}
		if !wanted[hash] {
			writeError(w, r, http.StatusBadRequest, 10021, "hash "+hash+" is not in the upload session's manifest")
			return
		}
		if b64 {
			if data, err = base64.StdEncoding.DecodeString(string(data)); err != nil {
				writeError(w, r, http.StatusBadRequest, 10021, "part "+hash+" is not valid base64")
				return
			}
		}
		ct := p.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		if err := h.st.PutAsset(r.Context(), hash, ct, data); err != nil {
			fail(w, r, err, nil)
			return
		}
	}
	list := make([]string, 0, len(wanted))
	for hsh := range wanted {
		list = append(list, hsh)
	}
	missing, err := h.st.MissingAssets(r.Context(), list)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	if len(missing) > 0 {
		ok(w, map[string]any{})
		return
	}
	tok.Kind = "complete"
	jwt, err := h.st.SealToken(tok)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	ok(w, map[string]any{"jwt": jwt})
}
