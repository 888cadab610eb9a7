/**
 * IoTDB 1.3's built-in scalar functions the node evaluates (lower-case): the arithmetic
 * functions of its "Function and Expression" reference and CAST. The parser refuses
 * other names; the executor holds their types and implementations.
 */
export const SCALAR_FUNCTIONS: readonly string[] = [
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'degrees',
  'radians',
  'abs',
  'sign',
  'ceil',
  'floor',
  'round',
  'exp',
  'ln',
  'log10',
  'sqrt',
  'cast',
];
