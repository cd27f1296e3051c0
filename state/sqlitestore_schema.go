package state

// SQLMigration is one migration of the TypeScript library's SQL state
// schema (its drizzle/default directory): the file's name without ".sql",
// its text, and the journal time drizzle records as created_at.
type SQLMigration struct {
	Name string
	SQL  string
	When int64
}

// SQLMigrations returns the migrations that build the resources table, in
// order, byte for byte as the library ships them: their SHA-256 is what
// drizzle records, and the D1 store records their file names.
func SQLMigrations() []SQLMigration {
	return []SQLMigration{
		{Name: "0000_busy_mauler", When: 1751858205551, SQL: migration0000},
		{Name: "0001_concerned_iceman", When: 1751942782611, SQL: migration0001},
	}
}

// sqlBreakpoint separates the statements of a drizzle migration.
const sqlBreakpoint = "--> statement-breakpoint"

// migration0000 creates resources (with a foreign key to scopes) and scopes.
const migration0000 = "" +
	"CREATE TABLE `resources` (\n" +
	"\t`id` text NOT NULL,\n" +
	"\t`scope` text NOT NULL,\n" +
	"\t`status` text NOT NULL,\n" +
	"\t`kind` text NOT NULL,\n" +
	"\t`fqn` text NOT NULL,\n" +
	"\t`seq` integer NOT NULL,\n" +
	"\t`data` text NOT NULL,\n" +
	"\t`props` text,\n" +
	"\t`oldProps` text,\n" +
	"\t`output` text NOT NULL,\n" +
	"\tPRIMARY KEY(`scope`, `id`),\n" +
	"\tFOREIGN KEY (`scope`) REFERENCES `scopes`(`chain`) ON UPDATE no action ON DELETE no action\n" +
	");\n" +
	"--> statement-breakpoint\n" +
	"CREATE TABLE `scopes` (\n" +
	"\t`chain` text PRIMARY KEY NOT NULL,\n" +
	"\t`parent` text\n" +
	");\n"

// migration0001 drops scopes and rebuilds resources without the foreign key.
const migration0001 = "" +
	"DROP TABLE `scopes`;--> statement-breakpoint\n" +
	"PRAGMA foreign_keys=OFF;--> statement-breakpoint\n" +
	"CREATE TABLE `__new_resources` (\n" +
	"\t`id` text NOT NULL,\n" +
	"\t`scope` text NOT NULL,\n" +
	"\t`status` text NOT NULL,\n" +
	"\t`kind` text NOT NULL,\n" +
	"\t`fqn` text NOT NULL,\n" +
	"\t`seq` integer NOT NULL,\n" +
	"\t`data` text NOT NULL,\n" +
	"\t`props` text,\n" +
	"\t`oldProps` text,\n" +
	"\t`output` text NOT NULL,\n" +
	"\tPRIMARY KEY(`scope`, `id`)\n" +
	");\n" +
	"--> statement-breakpoint\n" +
	"INSERT INTO `__new_resources`(\"id\", \"scope\", \"status\", \"kind\", \"fqn\", \"seq\", \"data\", \"props\", \"oldProps\", \"output\") SELECT \"id\", \"scope\", \"status\", \"kind\", \"fqn\", \"seq\", \"data\", \"props\", \"oldProps\", \"output\" FROM `resources`;--> statement-breakpoint\n" +
	"DROP TABLE `resources`;--> statement-breakpoint\n" +
	"ALTER TABLE `__new_resources` RENAME TO `resources`;--> statement-breakpoint\n" +
	"PRAGMA foreign_keys=ON;"
