// RFC 6238 codes in the test, from the key the service shows, as an authenticator app
// on a phone would compute them (HMAC-SHA1, 6 digits, 30-second steps).
import { createHmac } from 'node:crypto'

function base32 (text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  }
  const bytes = []
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2))
  return Buffer.from(bytes)
}

export function totp (key, at = Date.now()) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)))
  const mac = createHmac('sha1', base32(key)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0xf
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000
  return String(number).padStart(6, '0')
}

/** The key of an otpauth:// URI. */
export function keyOf (uri) {
  return new URL(uri).searchParams.get('secret')
}
