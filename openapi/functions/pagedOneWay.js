// A GET's 200 answer is never a bare array; when it is a page
// ({items, next_cursor}), the operation takes `limit` and `cursor`, and both
// page fields are required so clients see `next_cursor: string | null`.
module.exports = (operation, _options, context) => {
  const spec = context.document.data;
  const resolve = (schema) => {
    if (schema && schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      return spec.components.schemas[name];
    }
    return schema;
  };
  const ok = operation.responses && operation.responses['200'];
  const json = ok && ok.content && ok.content['application/json'];
  if (!json) return [];
  const schema = resolve(json.schema);
  if (!schema) return [];
  const types = [].concat(schema.type || []);
  if (types.includes('array')) {
    return [{ message: 'A list answers {items, next_cursor}, not a bare array.' }];
  }
  const props = schema.properties || {};
  if (!props.items) return [];
  const problems = [];
  for (const field of ['items', 'next_cursor']) {
    if (!props[field] || !(schema.required || []).includes(field)) {
      problems.push({ message: `A page has a required \`${field}\`.` });
    }
  }
  const params = (operation.parameters || []).filter((p) => p.in === 'query').map((p) => p.name);
  for (const name of ['limit', 'cursor']) {
    if (!params.includes(name)) problems.push({ message: `A paged list takes \`${name}\`.` });
  }
  return problems;
};
