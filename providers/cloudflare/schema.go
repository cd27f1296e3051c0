package cloudflare

import (
	"fmt"

	"github.com/alchemy-go/alchemy/providers/schema"
	"github.com/alchemy-go/alchemy/value"
)

// apiFields are the props every resource takes to reach another account or API than the run's
// (CloudflareApiOptions in the declarations). profile is accepted for programs written for the
// TypeScript library and has no effect: credentials come from the environment or these props.
var apiFields = schema.Optional("baseUrl", "profile", "apiKey", "apiToken", "accountId", "email")

// Schemas lists the props and outputs of every resource kind, in the order of Kinds. Each resource's
// props normalization checks the props a program passes against it, and the TypeScript declarations
// (types/alchemy.d.ts) are tested against it.
func Schemas() []schema.Kind {
	return []schema.Kind{
		{
			Kind: KindWorker,
			Props: schema.Fields(apiFields,
				// Exactly one of entrypoint and script; the provider says so when both or neither are given.
				schema.Optional("entrypoint", "script", "noBundle", "sourceMap", "rules", "format", "cwd", "projectRoot", "bundle",
					"name", "bindings", "env", "url", "previewSubdomains", "observability", "logpush", "delete", "adopt",
					"compatibilityDate", "compatibilityFlags", "compatibility", "assets", "cache", "crons", "eventSources",
					"routes", "domains", "rpc", "dev", "placement", "limits", "tailConsumers"),
				[]schema.Field{
					schema.Unsupported("namespace", "dispatch namespaces are not supported yet"),
					schema.Unsupported("version", "uploading a version without deploying it is not supported yet"),
				}),
			Output: schema.Fields(
				schema.Required("type", "id", "name", "cwd", "format", "compatibilityDate", "compatibilityFlags",
					"createdAt", "updatedAt", "dev"),
				schema.Optional("entrypoint", "bindings", "env", "observability", "eventSources", "url", "assets", "crons",
					"tailConsumers", "routes", "domains", "placement", "limits")),
			EchoesProps: true,
		},
		{
			Kind:   KindKVNamespace,
			Props:  schema.Fields(apiFields, schema.Optional("title", "values", "adopt", "delete", "dev")),
			Output: schema.Fields(schema.Required("type", "namespaceId", "title", "dev", "createdAt", "modifiedAt"), schema.Optional("values")),
		},
		{
			Kind: KindR2Bucket,
			Props: schema.Fields(apiFields,
				schema.Optional("name", "locationHint", "storageClass", "jurisdiction", "allowPublicAccess", "devDomain",
					"delete", "empty", "adopt", "cors", "lifecycle", "lock", "dev"),
				[]schema.Field{
					schema.Unsupported("domains", "custom domains of R2 buckets are not supported yet"),
					schema.Unsupported("dataCatalog", "the R2 data catalog is not supported yet (false is accepted)"),
				}),
			Output: schema.Fields(
				schema.Required("type", "name", "location", "creationDate", "jurisdiction", "accountId", "dev"),
				schema.Optional("devDomain", "cors", "lifecycle", "lock")),
		},
		{
			Kind: KindD1Database,
			Props: schema.Fields(apiFields,
				schema.Optional("name", "primaryLocationHint", "readReplication", "delete", "adopt", "importFiles",
					"migrationsTable", "migrationsDir", "dev", "jurisdiction"),
				[]schema.Field{schema.Unsupported("clone", "cloning a database is not supported yet")}),
			Output: schema.Fields(
				schema.Required("type", "id", "name", "dev", "migrationsTable", "jurisdiction"),
				schema.Optional("readReplication", "primaryLocationHint", "migrationsDir")),
		},
		{
			Kind:  KindQueue,
			Props: schema.Fields(apiFields, schema.Optional("name", "settings", "dlq", "delete", "adopt", "dev")),
			Output: schema.Fields(
				schema.Required("type", "id", "name", "createdOn", "modifiedOn", "accountId", "dev"),
				schema.Optional("settings", "dlq")),
		},
		{
			Kind:  KindQueueConsumer,
			Props: schema.Fields(apiFields, schema.Required("queue", "scriptName"), schema.Optional("settings", "delete", "adopt", "dev")),
			Output: schema.Fields(
				schema.Required("id", "queueId", "queue", "type", "scriptName", "settings", "accountId"),
				schema.Optional("createdOn")),
		},
		{
			Kind:   KindRoute,
			Props:  schema.Fields(apiFields, schema.Required("pattern", "script"), schema.Optional("zoneId", "adopt", "delete", "dev")),
			Output: schema.Required("id", "pattern", "script", "zoneId"),
		},
		{
			Kind: KindCustomDomain,
			Props: schema.Fields(apiFields, schema.Required("name", "workerName"),
				schema.Optional("zoneId", "environment", "adopt", "overrideExistingOrigin", "delete", "dev")),
			Output:      schema.Required("id", "zoneId", "environment", "createdAt", "updatedAt"),
			EchoesProps: true,
		},
		{
			// Kept for programs that call it; it does nothing (a Worker manages its workers.dev subdomain).
			Kind:  KindWorkerSubdomain,
			Props: schema.Fields(apiFields, schema.Required("scriptName"), schema.Optional("previewVersionId", "previewsEnabled", "retain", "dev")),
		},
	}
}

// checked returns the props normalization of a resource kind: the props are checked against the kind's
// schema s, then normalized (when normalize is set) or passed on as they are.
func checked(s schema.Kind, normalize func(NormalizeContext, string, value.Value) (value.Value, error)) func(NormalizeContext, string, value.Value) (value.Value, error) {
	return func(ctx NormalizeContext, id string, props value.Value) (value.Value, error) {
		if err := s.CheckProps(props); err != nil {
			return nil, fmt.Errorf("%s %q: %w", shortKind(s.Kind), id, err)
		}
		if normalize == nil {
			return props, nil
		}
		return normalize(ctx, id, props)
	}
}
