/** esbuild's `text` loader: an SVG file imported as its source text. */
declare module '*.svg' {
  const text: string;
  export default text;
}
