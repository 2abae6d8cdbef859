/**
 * The demo's layout, written by hand until `sabre gen` generates it from a schema:
 *
 *   section "rules", one 16-byte row per keyword:
 *   ┌──────────────┬──────────────┬─────────────────────────────┐
 *   │ keyword u32  │ label u32    │ weight f64                  │
 *   │ (string id)  │ (string id)  │                             │
 *   └──────────────┴──────────────┴─────────────────────────────┘
 *   0              4              8                            16
 */
export const ROW_BYTES = 16;
/** Fingerprint of this layout: workers refuse an arena built with another. */
export const LAYOUT = 0x6b65_7977_6f72_6431n;
