/* eslint-disable */
// Generated from the route handlers' return types by test/support/openapi-response-schemas.ts. Do not edit:
// UPDATE_OPENAPI_SCHEMAS=1 npx jest test/support/openapi-response-schemas.spec.ts
export const RESPONSE_SCHEMAS: { components: Record<string, unknown>; operations: Record<string, unknown> } = 
{
  "components": {},
  "operations": {
    "HealthController_live": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "enum": [
            "ok"
          ]
        }
      },
      "required": [
        "status"
      ]
    },
    "HealthController_ready": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "enum": [
            "ok"
          ]
        },
        "database": {
          "type": "string",
          "enum": [
            "up"
          ]
        }
      },
      "required": [
        "status",
        "database"
      ]
    }
  }
};
