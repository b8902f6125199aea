/**
 * Keyhold's mark, drawn inline (the pages' CSP allows no image URLs). Same geometry as the
 * toolbar icons made by `scripts/make-icons.ts`.
 * @module
 */

export function BrandMark({ size = 24 }: { size?: number }) {
  return (
    <svg class="brand-mark" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="kh-brand" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#4338ca" />
          <stop offset="1" stop-color="#0e7490" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="14.4" fill="url(#kh-brand)" />
      <circle cx="32" cy="25.6" r="9.92" fill="#fff" />
      <path d="M28.03 28.16 H35.97 L39.36 48.64 H24.64 Z" fill="#fff" />
    </svg>
  );
}
