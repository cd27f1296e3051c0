package nodelib_test

import "testing"

// Buffer speaks every Node encoding, with Node's overloads; expected values
// are Node's output.
func TestBufferEncodings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"latin1, binary and ascii", `
console.log(Buffer.from("héllo", "latin1").toString("hex"), Buffer.from("é", "binary").length);
console.log(Buffer.from([0x68, 0xe9]).toString("latin1"), Buffer.from([0xff, 0x41]).toString("ascii").charCodeAt(0));`,
			[]string{"68e96c6c6f 1", "hé 127"}},
		{"utf16le and ucs2", `
console.log(Buffer.from("hi€", "utf16le").toString("hex"), Buffer.from([0x68, 0, 0x69, 0]).toString("ucs2"));
console.log(Buffer.byteLength("hi", "utf16le"), Buffer.from("hi", "UCS-2").toString("utf-16le"));`,
			[]string{"68006900ac20 hi", "4 hi"}},
		{"base64url and loose base64", `
console.log(Buffer.from("hello?>").toString("base64url"), Buffer.from("aGVsbG8_Pg", "base64url").toString());
console.log(Buffer.from("aGVs\nbG8=", "base64").toString(), Buffer.from("aGVsbG8_Pg==", "base64").toString());
console.log(Buffer.from("hello").toString("BASE64"), Buffer.isEncoding("Base64URL"), Buffer.isEncoding("utf32"));`,
			[]string{"aGVsbG8_Pg hello?>", "hello hello?>", "aGVsbG8= true false"}},
		{"toString ranges", `
const b = Buffer.from("hello");
console.log(b.toString("utf8", 1, 3), JSON.stringify(b.toString("utf8", 4, 2)), b.toString(undefined, -5, 99), b.toString("hex", 3));`,
			[]string{`el "" hello 6c6f`}},
		{"alloc with an encoded fill, allocUnsafe", `
console.log(Buffer.alloc(5, "ab").toString(), Buffer.alloc(4, "6869", "hex").toString(), Buffer.alloc(3, 1).toString("hex"));
const u = Buffer.allocUnsafe(3);
console.log(u.length, Buffer.isBuffer(u), Buffer.allocUnsafeSlow(2).length);`,
			[]string{"ababa hihi 010101", "3 true 2"}},
		{"write overloads", `
const b = Buffer.alloc(6);
console.log(b.write("ab", 2), b.toString("hex"));
console.log(b.write("hi", "utf16le"), b.toString("hex"));
console.log(b.write("xyz", 4), b.write("ff00", 0, 1, "hex"), b.toString("hex"));
try { b.write("a", 7); } catch (e: any) { console.log(e.name, e.code); }`,
			[]string{"2 000061620000", "4 680069000000", "2 1 ff0069007879", "RangeError ERR_OUT_OF_RANGE"}},
		{"unknown encoding", `
try { Buffer.from("x", "utf32"); } catch (e: any) { console.log(e.name, e.message); }
try { Buffer.from("x").toString("nope"); } catch (e: any) { console.log(e.name, e.message); }`,
			[]string{"TypeError unknown encoding: utf32", "TypeError unknown encoding: nope"}},
		{"Buffer.from keeps its other forms", `
console.log(Buffer.from([1, 2]).toString("hex"), Buffer.from(new Uint8Array([3]).buffer).toString("hex"), Buffer.from(Buffer.from("q")).toString());`,
			[]string{"0102 03 q"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runLines(t, tc.src, tc.want) })
	}
}
