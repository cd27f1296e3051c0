package store

import (
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Bucket is an R2 bucket.
type Bucket struct {
	AccountID    string
	Name         string
	Jurisdiction string // "default", "eu", "fedramp"
	Location     string
	StorageClass string // "Standard", "InfrequentAccess"
	CreationDate string
}

// CreateBucket creates a bucket; names are unique per account.
func (s *Store) CreateBucket(ctx context.Context, b Bucket) (Bucket, error) {
	if !validBucketName(b.Name) {
		return Bucket{}, fmt.Errorf("r2 bucket %q: %w: names are 3–63 characters of a-z, 0-9 and -", b.Name, ErrInvalid)
	}
	if b.Jurisdiction == "" {
		b.Jurisdiction = "default"
	}
	if b.Location == "" {
		b.Location = "enam"
	}
	if b.StorageClass == "" {
		b.StorageClass = "Standard"
	}
	b.CreationDate = s.stamp()
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM r2_buckets WHERE account_id = ? AND name = ?`, b.AccountID, b.Name).Scan(&n)
		if n > 0 {
			return ErrExists
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO r2_buckets (account_id, name, jurisdiction, location, storage_class, creation_date) VALUES (?, ?, ?, ?, ?, ?)`,
			b.AccountID, b.Name, b.Jurisdiction, b.Location, b.StorageClass, b.CreationDate)
		return err
	})
	if err != nil {
		return Bucket{}, fmt.Errorf("r2 bucket %q: create: %w", b.Name, err)
	}
	return b, nil
}

func validBucketName(n string) bool {
	if len(n) < 3 || len(n) > 63 || n[0] == '-' || n[len(n)-1] == '-' {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

const bucketCols = `account_id, name, jurisdiction, location, storage_class, creation_date`

func scanBucket(sc interface{ Scan(...any) error }) (Bucket, error) {
	var b Bucket
	err := sc.Scan(&b.AccountID, &b.Name, &b.Jurisdiction, &b.Location, &b.StorageClass, &b.CreationDate)
	return b, err
}

// Bucket returns one bucket.
func (s *Store) Bucket(ctx context.Context, account, name string) (Bucket, error) {
	b, err := scanBucket(s.r.QueryRowContext(ctx, `SELECT `+bucketCols+` FROM r2_buckets WHERE account_id = ? AND name = ?`, account, name))
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("r2 bucket %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return b, fmt.Errorf("r2 bucket %q: %w", name, err)
	}
	return b, nil
}

// Buckets lists an account's buckets ordered by name.
func (s *Store) Buckets(ctx context.Context, account string) ([]Bucket, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+bucketCols+` FROM r2_buckets WHERE account_id = ? ORDER BY name`, account)
	if err != nil {
		return nil, fmt.Errorf("r2 buckets: %w", err)
	}
	defer rows.Close()
	var out []Bucket
	for rows.Next() {
		b, err := scanBucket(rows)
		if err != nil {
			return nil, fmt.Errorf("r2 buckets: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SetBucketStorageClass changes a bucket's default storage class.
func (s *Store) SetBucketStorageClass(ctx context.Context, account, name, class string) (Bucket, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE r2_buckets SET storage_class = ? WHERE account_id = ? AND name = ?`, class, account, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return Bucket{}, fmt.Errorf("r2 bucket %q: edit: %w", name, err)
	}
	return s.Bucket(ctx, account, name)
}

// DeleteBucket removes an empty bucket.
func (s *Store) DeleteBucket(ctx context.Context, account, name string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM r2_objects WHERE account_id = ? AND bucket = ?`, account, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM r2_buckets WHERE account_id = ? AND name = ?`, account, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("r2 bucket %q: delete: %w", name, err)
	}
	return nil
}

// HTTPMetadata are the standard headers stored with an R2 object.
type HTTPMetadata struct {
	ContentType        string `json:"contentType,omitempty"`
	ContentLanguage    string `json:"contentLanguage,omitempty"`
	ContentDisposition string `json:"contentDisposition,omitempty"`
	ContentEncoding    string `json:"contentEncoding,omitempty"`
	CacheControl       string `json:"cacheControl,omitempty"`
	CacheExpiry        string `json:"cacheExpiry,omitempty"`
}

// Object describes a stored R2 object.
type Object struct {
	Key            string
	Size           int64
	ETag           string // hex MD5 of the body, unquoted
	Version        string
	Uploaded       string
	HTTPMetadata   HTTPMetadata
	CustomMetadata map[string]string
	blob           string
}

// PutOptions carry an object's metadata.
type PutOptions struct {
	HTTPMetadata   HTTPMetadata
	CustomMetadata map[string]string
}

func (s *Store) blobPath(id string) string { return filepath.Join(s.dir, "r2", id[:2], id) }

// PutObject stores body under key, replacing any previous object. The body
// is written to its own file and becomes visible atomically.
func (s *Store) PutObject(ctx context.Context, account, bucket, key string, body io.Reader, opt PutOptions) (Object, error) {
	if key == "" || len(key) > 1024 {
		return Object{}, fmt.Errorf("r2 %s: put: %w: key must be 1–1024 bytes", bucket, ErrInvalid)
	}
	if _, err := s.Bucket(ctx, account, bucket); err != nil {
		return Object{}, err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "r2", "tmp"), "put-*")
	if err != nil {
		return Object{}, fmt.Errorf("r2 %s/%s: put: %w", bucket, key, err)
	}
	defer os.Remove(tmp.Name())
	h := md5.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), body)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Object{}, fmt.Errorf("r2 %s/%s: put: %w", bucket, key, err)
	}
	o := Object{Key: key, Size: size, ETag: hex.EncodeToString(h.Sum(nil)), Version: NewID(), Uploaded: s.stamp(),
		HTTPMetadata: opt.HTTPMetadata, CustomMetadata: opt.CustomMetadata, blob: NewID()}
	if o.CustomMetadata == nil {
		o.CustomMetadata = map[string]string{}
	}
	path := s.blobPath(o.blob)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Object{}, fmt.Errorf("r2 %s/%s: put: %w", bucket, key, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Object{}, fmt.Errorf("r2 %s/%s: put: %w", bucket, key, err)
	}
	httpMD, _ := json.Marshal(o.HTTPMetadata)
	customMD, _ := json.Marshal(o.CustomMetadata)
	var old string
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT blob FROM r2_objects WHERE account_id = ? AND bucket = ? AND key = ?`, account, bucket, key).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO r2_objects (account_id, bucket, key, blob, size, etag, version, uploaded, http_metadata, custom_metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, bucket, key) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag, version = excluded.version,
			uploaded = excluded.uploaded, http_metadata = excluded.http_metadata, custom_metadata = excluded.custom_metadata`,
			account, bucket, key, o.blob, o.Size, o.ETag, o.Version, o.Uploaded, string(httpMD), string(customMD))
		if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
			return fmt.Errorf("bucket %q: %w", bucket, ErrNotFound)
		}
		return err
	})
	if err != nil {
		os.Remove(path)
		return Object{}, fmt.Errorf("r2 %s/%s: put: %w", bucket, key, err)
	}
	if old != "" {
		os.Remove(s.blobPath(old))
	}
	return o, nil
}

const objectCols = `key, blob, size, etag, version, uploaded, http_metadata, custom_metadata`

func scanObject(sc interface{ Scan(...any) error }) (Object, error) {
	var o Object
	var httpMD, customMD string
	if err := sc.Scan(&o.Key, &o.blob, &o.Size, &o.ETag, &o.Version, &o.Uploaded, &httpMD, &customMD); err != nil {
		return o, err
	}
	json.Unmarshal([]byte(httpMD), &o.HTTPMetadata)
	json.Unmarshal([]byte(customMD), &o.CustomMetadata)
	return o, nil
}

// HeadObject returns an object's metadata.
func (s *Store) HeadObject(ctx context.Context, account, bucket, key string) (Object, error) {
	o, err := scanObject(s.r.QueryRowContext(ctx, `SELECT `+objectCols+` FROM r2_objects WHERE account_id = ? AND bucket = ? AND key = ?`, account, bucket, key))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("r2 %s: object %q: %w", bucket, key, ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("r2 %s: object %q: %w", bucket, key, err)
	}
	return o, nil
}

// GetObject opens an object's body. The file stays readable even if the
// object is replaced or deleted meanwhile; the caller closes it.
func (s *Store) GetObject(ctx context.Context, account, bucket, key string) (Object, *os.File, error) {
	for attempt := 0; ; attempt++ {
		o, err := s.HeadObject(ctx, account, bucket, key)
		if err != nil {
			return o, nil, err
		}
		f, err := os.Open(s.blobPath(o.blob))
		if err == nil {
			return o, f, nil
		}
		// A concurrent put replaced the blob between the two steps: retry.
		if !errors.Is(err, os.ErrNotExist) || attempt == 3 {
			return o, nil, fmt.Errorf("r2 %s/%s: open body: %w", bucket, key, err)
		}
	}
}

// DeleteObjects removes objects; missing keys are ignored.
func (s *Store) DeleteObjects(ctx context.Context, account, bucket string, keys ...string) error {
	var blobs []string
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, k := range keys {
			var blob string
			err := tx.QueryRowContext(ctx, `DELETE FROM r2_objects WHERE account_id = ? AND bucket = ? AND key = ? RETURNING blob`, account, bucket, k).Scan(&blob)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			blobs = append(blobs, blob)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("r2 %s: delete: %w", bucket, err)
	}
	for _, b := range blobs {
		os.Remove(s.blobPath(b))
	}
	return nil
}

// ListObjectsOptions select objects to list.
type ListObjectsOptions struct {
	Prefix     string
	Delimiter  string
	StartAfter string
	Cursor     string
	Limit      int // 1–1000; 0 means 1000
}

// ObjectListing is one page of a listing.
type ObjectListing struct {
	Objects           []Object
	DelimitedPrefixes []string
	Truncated         bool
	Cursor            string
}

// ListObjects lists objects in key order.
func (s *Store) ListObjects(ctx context.Context, account, bucket string, opt ListObjectsOptions) (ObjectListing, error) {
	var out ObjectListing
	if _, err := s.Bucket(ctx, account, bucket); err != nil {
		return out, err
	}
	limit := opt.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	after := opt.StartAfter
	if opt.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(opt.Cursor)
		if err != nil {
			return out, fmt.Errorf("r2 %s: list: %w: bad cursor", bucket, ErrInvalid)
		}
		after = string(b)
	}
	seen := map[string]bool{}
	last := ""
	for {
		rows, err := s.r.QueryContext(ctx, `SELECT `+objectCols+` FROM r2_objects WHERE account_id = ? AND bucket = ? AND key > ? AND substr(key, 1, length(?)) = ? ORDER BY key LIMIT ?`,
			account, bucket, after, opt.Prefix, opt.Prefix, limit+1)
		if err != nil {
			return out, fmt.Errorf("r2 %s: list: %w", bucket, err)
		}
		var batch []Object
		for rows.Next() {
			o, err := scanObject(rows)
			if err != nil {
				rows.Close()
				return out, fmt.Errorf("r2 %s: list: %w", bucket, err)
			}
			batch = append(batch, o)
		}
		rows.Close()
		if len(batch) == 0 {
			return out, nil
		}
		skipped := false
		for _, o := range batch {
			if len(out.Objects)+len(out.DelimitedPrefixes) == limit {
				out.Truncated = true
				out.Cursor = base64.RawURLEncoding.EncodeToString([]byte(last))
				return out, nil
			}
			last = o.Key
			if opt.Delimiter != "" {
				rest := o.Key[len(opt.Prefix):]
				if i := strings.Index(rest, opt.Delimiter); i >= 0 {
					p := opt.Prefix + rest[:i+len(opt.Delimiter)]
					if !seen[p] {
						seen[p] = true
						out.DelimitedPrefixes = append(out.DelimitedPrefixes, p)
					}
					// Skip the rest of this prefix.
					last = p + "\U0010FFFF"
					skipped = true
					break
				}
			}
			out.Objects = append(out.Objects, o)
		}
		after = last
		if !skipped && len(batch) <= limit {
			return out, nil
		}
	}
}

// CountObjects returns the number of objects in a bucket.
func (s *Store) CountObjects(ctx context.Context, account, bucket string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM r2_objects WHERE account_id = ? AND bucket = ?`, account, bucket).Scan(&n)
	return n, err
}

// BucketConfig returns one of a bucket's settings documents (kind is
// "cors", "lifecycle", "lock", "domains/managed", …), or nil when unset.
func (s *Store) BucketConfig(ctx context.Context, account, bucket, kind string) (json.RawMessage, error) {
	if _, err := s.Bucket(ctx, account, bucket); err != nil {
		return nil, err
	}
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM r2_bucket_config WHERE account_id = ? AND bucket = ? AND kind = ?`, account, bucket, kind).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("r2 bucket %q: %s: %w", bucket, kind, err)
	}
	return json.RawMessage(v), nil
}

// SetBucketConfig stores (value non-nil) or clears a bucket settings document.
func (s *Store) SetBucketConfig(ctx context.Context, account, bucket, kind string, value json.RawMessage) error {
	if _, err := s.Bucket(ctx, account, bucket); err != nil {
		return err
	}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if value == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM r2_bucket_config WHERE account_id = ? AND bucket = ? AND kind = ?`, account, bucket, kind)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO r2_bucket_config (account_id, bucket, kind, value) VALUES (?, ?, ?, ?)
			ON CONFLICT (account_id, bucket, kind) DO UPDATE SET value = excluded.value`, account, bucket, kind, string(value))
		return err
	})
	if err != nil {
		return fmt.Errorf("r2 bucket %q: %s: %w", bucket, kind, err)
	}
	return nil
}
