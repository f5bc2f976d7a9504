/**
 * JSON.parse keeps the last of two equal keys and says nothing: a writer that repeats a key
 * (as `tshark -T json` does for repeated layers) would pass any test built on it. This parser
 * refuses a repeated key in any object, then hands the text to JSON.parse.
 */
export function parseStrictJson(text: string): unknown {
  const keysByDepth: Set<string>[] = [];
  /** Whether each open container is an object (keys) or an array. */
  const isObject: boolean[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const keys = keysByDepth[keysByDepth.length - 1];
        if (keys.has(key)) throw new SyntaxError(`repeated key ${JSON.stringify(key)} at ${i}`);
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      keysByDepth.push(new Set());
      isObject.push(true);
      expectKey = true;
    } else if (c === '[') {
      keysByDepth.push(new Set());
      isObject.push(false);
    } else if (c === '}' || c === ']') {
      keysByDepth.pop();
      isObject.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = isObject[isObject.length - 1] === true;
    }
  }
  return JSON.parse(text);
}
