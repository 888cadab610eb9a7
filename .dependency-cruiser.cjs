/** Layers import downwards only: native -> tsfile -> engine/protocol -> pipe -> server. */
const layers = ['native', 'tsfile', 'engine', 'protocol', 'pipe', 'server'];
const above = {
  native: ['tsfile', 'engine', 'protocol', 'pipe', 'server'],
  tsfile: ['engine', 'protocol', 'pipe', 'server'],
  engine: ['protocol', 'pipe', 'server'],
  protocol: ['engine', 'pipe', 'server'],
  pipe: ['server'],
  server: [],
};
module.exports = {
  forbidden: [
    ...layers
      .filter((layer) => above[layer].length > 0)
      .map((layer) => ({
        name: `${layer}-imports-upwards`,
        comment: `${layer}/ must not import ${above[layer].join(', ')}`,
        severity: 'error',
        from: { path: `^${layer}/` },
        to: { path: `^(${above[layer].join('|')})/` },
      })),
    {
      name: 'no-test-imports-in-product',
      severity: 'error',
      from: { path: `^(${layers.join('|')})/` },
      to: { path: '^(test|bench)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: 'gen-nodejs' },
  },
};
