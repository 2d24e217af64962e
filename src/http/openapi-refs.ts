// References into the OpenAPI document's components, shared by the /v1 and /v2 parts of it.

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': { schema: ref(name) } });

/** A required path parameter: a string, with a pattern where the path holds an id. */
export const pathParameter = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: pattern ? { type: 'string', pattern } : { type: 'string' },
});

/** Where a service's id comes from, on /v1/services/{sid} and /v2/Services/{sid} alike. */
export const SERVICE_ID_HELP = 'VERIFY_SERVICE_SID (the default service) or a service id from SERVICES_FILE';
