// References into the OpenAPI document's components, shared by the /v1 and /v2 parts of it.

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
