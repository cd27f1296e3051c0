package api

func (h *Handler) routes() {
	m := h.mux
	a := h.account

	// Accounts, user, tokens, memberships.
	m.HandleFunc("GET /accounts", h.listAccounts)
	m.HandleFunc("GET /accounts/{account_id}", a(h.getAccount))
	m.HandleFunc("GET /accounts/{account_id}/tokens/verify", a(h.verifyToken))
	m.HandleFunc("GET /user/tokens/verify", h.verifyUserToken)
	m.HandleFunc("GET /user", h.getUser)
	m.HandleFunc("GET /memberships", h.listMemberships)

	// Zones, routes, custom domains.
	m.HandleFunc("GET /zones", h.listZones)
	m.HandleFunc("POST /zones", h.createZone)
	m.HandleFunc("GET /zones/{zone_id}", h.zone(h.getZone))
	m.HandleFunc("DELETE /zones/{zone_id}", h.zone(h.deleteZone))
	m.HandleFunc("GET /zones/{zone_id}/workers/routes", h.zone(h.listRoutes))
	m.HandleFunc("POST /zones/{zone_id}/workers/routes", h.zone(h.createRoute))
	m.HandleFunc("GET /zones/{zone_id}/workers/routes/{route_id}", h.zone(h.getRoute))
	m.HandleFunc("PUT /zones/{zone_id}/workers/routes/{route_id}", h.zone(h.updateRoute))
	m.HandleFunc("DELETE /zones/{zone_id}/workers/routes/{route_id}", h.zone(h.deleteRoute))
	m.HandleFunc("PUT /accounts/{account_id}/workers/domains", a(h.putDomain))
	m.HandleFunc("GET /accounts/{account_id}/workers/domains", a(h.listDomains))
	m.HandleFunc("GET /accounts/{account_id}/workers/domains/{domain_id}", a(h.getDomain))
	m.HandleFunc("DELETE /accounts/{account_id}/workers/domains/{domain_id}", a(h.deleteDomain))

	// Workers scripts.
	const s = "/accounts/{account_id}/workers/scripts/{script_name}"
	m.HandleFunc("GET /accounts/{account_id}/workers/scripts", a(h.listScripts))
	m.HandleFunc("PUT "+s, a(h.uploadScript))
	m.HandleFunc("GET "+s, a(h.getScriptContent))
	m.HandleFunc("DELETE "+s, a(h.deleteScript))
	m.HandleFunc("GET "+s+"/content/v2", a(h.getScriptContent))
	m.HandleFunc("PUT "+s+"/content", a(h.putScriptContent))
	m.HandleFunc("GET "+s+"/settings", a(h.getSettings))
	m.HandleFunc("PATCH "+s+"/settings", a(h.patchSettings))
	m.HandleFunc("GET "+s+"/script-settings", a(h.getScriptSettings))
	m.HandleFunc("PATCH "+s+"/script-settings", a(h.patchScriptSettings))
	m.HandleFunc("GET "+s+"/subdomain", a(h.getScriptSubdomain))
	m.HandleFunc("POST "+s+"/subdomain", a(h.postScriptSubdomain))
	m.HandleFunc("DELETE "+s+"/subdomain", a(h.deleteScriptSubdomain))
	m.HandleFunc("GET "+s+"/schedules", a(h.getSchedules))
	m.HandleFunc("PUT "+s+"/schedules", a(h.putSchedules))
	m.HandleFunc("GET "+s+"/secrets", a(h.listSecrets))
	m.HandleFunc("PUT "+s+"/secrets", a(h.putSecret))
	m.HandleFunc("GET "+s+"/secrets/{secret_name}", a(h.getSecret))
	m.HandleFunc("DELETE "+s+"/secrets/{secret_name}", a(h.deleteSecret))
	m.HandleFunc("GET "+s+"/versions", a(h.listVersions))
	m.HandleFunc("POST "+s+"/versions", a(h.newVersion))
	m.HandleFunc("GET "+s+"/versions/{version_id}", a(h.getVersion))
	m.HandleFunc("GET "+s+"/deployments", a(h.listDeployments))
	m.HandleFunc("POST "+s+"/deployments", a(h.createDeployment))
	m.HandleFunc("GET "+s+"/queue-consumers", a(h.scriptQueueConsumers))
	m.HandleFunc("POST "+s+"/assets-upload-session", a(h.assetsUploadSession))
	m.HandleFunc(assetUploadPattern, h.assetsUpload)
	m.HandleFunc("GET /accounts/{account_id}/workers/services/{script_name}", a(h.getService))
	m.HandleFunc("GET /accounts/{account_id}/workers/subdomain", a(h.getSubdomain))
	m.HandleFunc("PUT /accounts/{account_id}/workers/subdomain", a(h.putSubdomain))
	m.HandleFunc("DELETE /accounts/{account_id}/workers/subdomain", a(h.deleteSubdomain))
	m.HandleFunc("GET /accounts/{account_id}/workers/durable_objects/namespaces", a(h.listDONamespaces))
	m.HandleFunc("GET /accounts/{account_id}/workers/durable_objects/namespaces/{id}/objects", a(h.listDOObjects))

	// KV.
	const kv = "/accounts/{account_id}/storage/kv/namespaces"
	m.HandleFunc("GET "+kv, a(h.listKV))
	m.HandleFunc("POST "+kv, a(h.createKV))
	m.HandleFunc("GET "+kv+"/{namespace_id}", a(h.kvns(h.getKV)))
	m.HandleFunc("PUT "+kv+"/{namespace_id}", a(h.kvns(h.renameKV)))
	m.HandleFunc("DELETE "+kv+"/{namespace_id}", a(h.kvns(h.deleteKV)))
	m.HandleFunc("GET "+kv+"/{namespace_id}/keys", a(h.kvns(h.listKVKeys)))
	m.HandleFunc("GET "+kv+"/{namespace_id}/values/{key_name...}", a(h.kvns(h.getKVValue)))
	m.HandleFunc("PUT "+kv+"/{namespace_id}/values/{key_name...}", a(h.kvns(h.putKVValue)))
	m.HandleFunc("DELETE "+kv+"/{namespace_id}/values/{key_name...}", a(h.kvns(h.deleteKVValue)))
	m.HandleFunc("GET "+kv+"/{namespace_id}/metadata/{key_name...}", a(h.kvns(h.getKVMetadata)))
	m.HandleFunc("PUT "+kv+"/{namespace_id}/bulk", a(h.kvns(h.bulkPutKV)))
	m.HandleFunc("DELETE "+kv+"/{namespace_id}/bulk", a(h.kvns(h.bulkDeleteKV)))
	m.HandleFunc("POST "+kv+"/{namespace_id}/bulk/delete", a(h.kvns(h.bulkDeleteKV)))
	m.HandleFunc("POST "+kv+"/{namespace_id}/bulk/get", a(h.kvns(h.bulkGetKV)))

	// R2.
	const r2 = "/accounts/{account_id}/r2/buckets"
	m.HandleFunc("GET "+r2, a(h.listBuckets))
	m.HandleFunc("POST "+r2, a(h.createBucket))
	m.HandleFunc("GET "+r2+"/{bucket_name}", a(h.getBucket))
	m.HandleFunc("PATCH "+r2+"/{bucket_name}", a(h.patchBucket))
	m.HandleFunc("DELETE "+r2+"/{bucket_name}", a(h.deleteBucket))
	for _, kind := range []string{"cors", "lifecycle", "lock", "domains/managed"} {
		m.HandleFunc("GET "+r2+"/{bucket_name}/"+kind, a(h.getBucketConfig(kind)))
		m.HandleFunc("PUT "+r2+"/{bucket_name}/"+kind, a(h.putBucketConfig(kind)))
	}
	m.HandleFunc("DELETE "+r2+"/{bucket_name}/cors", a(h.deleteBucketCORS))
	m.HandleFunc("GET "+r2+"/{bucket_name}/objects", a(h.listObjects))
	m.HandleFunc("DELETE "+r2+"/{bucket_name}/objects", a(h.deleteObjects))
	m.HandleFunc("GET "+r2+"/{bucket_name}/objects/{key...}", a(h.getObject))
	m.HandleFunc("HEAD "+r2+"/{bucket_name}/objects/{key...}", a(h.getObject))
	m.HandleFunc("PUT "+r2+"/{bucket_name}/objects/{key...}", a(h.putObject))
	m.HandleFunc("DELETE "+r2+"/{bucket_name}/objects/{key...}", a(h.deleteObject))

	// D1.
	const d1 = "/accounts/{account_id}/d1/database"
	m.HandleFunc("GET "+d1, a(h.listD1))
	m.HandleFunc("POST "+d1, a(h.createD1))
	m.HandleFunc("GET "+d1+"/{database_id}", a(h.getD1))
	m.HandleFunc("DELETE "+d1+"/{database_id}", a(h.deleteD1))
	m.HandleFunc("PATCH "+d1+"/{database_id}", a(h.editD1))
	m.HandleFunc("PUT "+d1+"/{database_id}", a(h.editD1))
	m.HandleFunc("POST "+d1+"/{database_id}/query", a(h.queryD1(false)))
	m.HandleFunc("POST "+d1+"/{database_id}/raw", a(h.queryD1(true)))

	// Queues.
	const q = "/accounts/{account_id}/queues"
	m.HandleFunc("GET "+q, a(h.listQueues))
	m.HandleFunc("POST "+q, a(h.createQueue))
	m.HandleFunc("GET "+q+"/{queue_id}", a(h.getQueue))
	m.HandleFunc("PUT "+q+"/{queue_id}", a(h.updateQueue))
	m.HandleFunc("PATCH "+q+"/{queue_id}", a(h.updateQueue))
	m.HandleFunc("DELETE "+q+"/{queue_id}", a(h.deleteQueue))
	m.HandleFunc("GET "+q+"/{queue_id}/consumers", a(h.listConsumers))
	m.HandleFunc("POST "+q+"/{queue_id}/consumers", a(h.createConsumer))
	m.HandleFunc("GET "+q+"/{queue_id}/consumers/{consumer_id}", a(h.getConsumer))
	m.HandleFunc("PUT "+q+"/{queue_id}/consumers/{consumer_id}", a(h.updateConsumer))
	m.HandleFunc("DELETE "+q+"/{queue_id}/consumers/{consumer_id}", a(h.deleteConsumer))
	m.HandleFunc("POST "+q+"/{queue_id}/messages", a(h.sendMessage))
	m.HandleFunc("POST "+q+"/{queue_id}/messages/batch", a(h.sendBatch))
	m.HandleFunc("POST "+q+"/{queue_id}/messages/pull", a(h.pullMessages))
	m.HandleFunc("POST "+q+"/{queue_id}/messages/ack", a(h.ackMessages))
	m.HandleFunc("POST "+q+"/{queue_id}/purge", a(h.purgeQueue))

	// Workflows.
	const wf = "/accounts/{account_id}/workflows"
	m.HandleFunc("GET "+wf, a(h.listWorkflows))
	m.HandleFunc("PUT "+wf+"/{workflow_name}", a(h.putWorkflow))
	m.HandleFunc("GET "+wf+"/{workflow_name}", a(h.getWorkflow))
	m.HandleFunc("DELETE "+wf+"/{workflow_name}", a(h.deleteWorkflow))
}
