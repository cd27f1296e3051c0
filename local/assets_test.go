package local_test

import (
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/workers"
)

func TestAssetsContentVersionsDeployments(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)
	e.upload(t, "site", uploadOpts{})

	// Assets: upload session, bucketed upload with the session token, completion token in the upload.
	manifest := map[string]workers.ScriptAssetUploadNewParamsManifest{
		"/index.html": {Hash: cf.F("0123456789abcdef0123456789abcde1"), Size: cf.F(int64(13))},
		"/app.css":    {Hash: cf.F("0123456789abcdef0123456789abcde2"), Size: cf.F(int64(9))},
	}
	session, err := e.cf.Workers.Scripts.Assets.Upload.New(ctx, "site", workers.ScriptAssetUploadNewParams{AccountID: acct, Manifest: cf.F(manifest)})
	if err != nil {
		t.Fatal(err)
	}
	if len(session.Buckets) != 1 || len(session.Buckets[0]) != 2 || session.JWT == "" {
		t.Fatalf("session = %+v", session)
	}
	done, err := e.cf.Workers.Assets.Upload.New(ctx, workers.AssetUploadNewParams{AccountID: acct, Base64: cf.F(workers.AssetUploadNewParamsBase64True),
		Body: map[string]string{
			"0123456789abcdef0123456789abcde1": base64.StdEncoding.EncodeToString([]byte("<h1>hi</h1>\n")),
			"0123456789abcdef0123456789abcde2": base64.StdEncoding.EncodeToString([]byte("body {}\n")),
		}}, option.WithHeader("Authorization", "Bearer "+session.JWT))
	if err != nil || done.JWT == "" {
		t.Fatalf("asset upload = %+v, %v", done, err)
	}
	_, err = e.cf.Workers.Assets.Upload.New(ctx, workers.AssetUploadNewParams{AccountID: acct, Base64: cf.F(workers.AssetUploadNewParamsBase64True),
		Body: map[string]string{"x": "eA=="}}, option.WithHeader("Authorization", "Bearer not-a-session"))
	apiErr(t, err, 401, 10000)
	_, err = e.cf.Workers.Scripts.Update(ctx, "site", workers.ScriptUpdateParams{AccountID: acct,
		Metadata: cf.F(workers.ScriptUpdateParamsMetadata{MainModule: cf.F("index.js"), Assets: cf.F(workers.ScriptUpdateParamsMetadataAssets{JWT: cf.F(done.JWT)}),
			Bindings: cf.F([]workers.ScriptUpdateParamsMetadataBindingUnion{binding("ASSETS", "assets", nil)})}),
		Files: cf.F([]io.Reader{cf.FileParam(strings.NewReader(workerSource), "index.js", "application/javascript+module").Value})})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.srv.Store().Script(ctx, testAccount, "site")
	if err != nil || sc.Assets == nil || sc.Assets.Manifest["/index.html"].Hash != "0123456789abcdef0123456789abcde1" {
		t.Fatalf("script assets = %+v, %v", sc.Assets, err)
	}
	ct, body, err := e.srv.Store().Asset(ctx, sc.Assets.Manifest["/index.html"].Hash)
	if err != nil || string(body) != "<h1>hi</h1>\n" || ct == "" {
		t.Fatalf("asset = %q %q, %v", ct, body, err)
	}
	// A second session for the same files has nothing left to upload.
	again, err := e.cf.Workers.Scripts.Assets.Upload.New(ctx, "site", workers.ScriptAssetUploadNewParams{AccountID: acct, Manifest: cf.F(manifest)})
	if err != nil || len(again.Buckets) != 0 {
		t.Fatalf("second session = %+v, %v", again, err)
	}

	// Content only, by the module-part header.
	if _, err := e.cf.Workers.Scripts.Content.Update(ctx, "site", workers.ScriptContentUpdateParams{AccountID: acct,
		Metadata:               cf.F(workers.ScriptContentUpdateParamsMetadata{MainModule: cf.F("main.js")}),
		Files:                  cf.F([]io.Reader{cf.FileParam(strings.NewReader("export default { fetch() {} }"), "main.js", "application/javascript+module").Value}),
		CfWorkerMainModulePart: cf.F("main.js")}); err != nil {
		t.Fatal(err)
	}
	resp, err := e.cf.Workers.Scripts.Content.Get(ctx, "site", workers.ScriptContentGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != "export default { fetch() {} }" {
		t.Fatalf("content = %q", got)
	}
	sc, _ = e.srv.Store().ScriptSummary(ctx, testAccount, "site")
	if len(sc.Settings.Bindings) != 1 {
		t.Fatalf("content update lost the bindings: %+v", sc.Settings.Bindings)
	}

	// Script-level settings.
	set, err := e.cf.Workers.Scripts.Settings.Edit(ctx, "site", workers.ScriptSettingEditParams{AccountID: acct,
		ScriptSetting: workers.ScriptSettingParam{Logpush: cf.F(true), Tags: cf.F([]string{"team:web"})}})
	if err != nil || !set.Logpush || len(set.Tags) != 1 {
		t.Fatalf("script settings = %+v, %v", set, err)
	}

	// Versions and deployments: each upload is a version deployed at 100%.
	versions, err := e.cf.Workers.Scripts.Versions.List(ctx, "site", workers.ScriptVersionListParams{AccountID: acct})
	if err != nil || len(versions.Result.Items) != 3 {
		t.Fatalf("versions = %+v, %v", versions, err)
	}
	first := versions.Result.Items[2].ID
	v, err := e.cf.Workers.Scripts.Versions.Get(ctx, "site", first, workers.ScriptVersionGetParams{AccountID: acct})
	if err != nil || v.ID != first {
		t.Fatalf("version = %+v, %v", v, err)
	}
	dep, err := e.cf.Workers.Scripts.Deployments.New(ctx, "site", workers.ScriptDeploymentNewParams{AccountID: acct, Deployment: workers.DeploymentParam{
		Strategy: cf.F(workers.DeploymentStrategyPercentage), Versions: cf.F([]workers.DeploymentVersionParam{{VersionID: cf.F(first), Percentage: cf.F(100.0)}})}})
	if err != nil || len(dep.Versions) != 1 || dep.Versions[0].VersionID != first {
		t.Fatalf("deployment = %+v, %v", dep, err)
	}
	deps, err := e.cf.Workers.Scripts.Deployments.List(ctx, "site", workers.ScriptDeploymentListParams{AccountID: acct})
	if err != nil || len(deps.Deployments) != 4 || deps.Deployments[0].ID != dep.ID {
		t.Fatalf("deployments = %+v, %v", deps, err)
	}
	_, err = e.cf.Workers.Scripts.Deployments.New(ctx, "site", workers.ScriptDeploymentNewParams{AccountID: acct, Deployment: workers.DeploymentParam{
		Strategy: cf.F(workers.DeploymentStrategyPercentage), Versions: cf.F([]workers.DeploymentVersionParam{{VersionID: cf.F(first), Percentage: cf.F(50.0)}})}})
	apiErr(t, err, 400, 10212)
}
