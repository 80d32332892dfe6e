/* eslint-disable */
// Generated from the route handlers' return types by test/support/openapi-response-schemas.ts. Do not edit:
// UPDATE_OPENAPI_SCHEMAS=1 npx jest test/support/openapi-response-schemas.spec.ts
export const RESPONSE_SCHEMAS: { components: Record<string, unknown>; operations: Record<string, unknown> } = 
{
  "components": {
    "AccessLogEntryDto": {
      "type": "object",
      "properties": {
        "seq": {
          "type": "number"
        },
        "at": {
          "type": "string"
        },
        "departments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "what": {
          "type": "string",
          "enum": [
            "application",
            "attachment",
            "individualNumber",
            "signature",
            "diff",
            "notes",
            "documents",
            "documentDownload"
          ]
        },
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "reason": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "seq",
        "at",
        "departments",
        "what",
        "applicationId",
        "referenceNumber",
        "reason"
      ]
    },
    "AccessLogPageDto": {
      "type": "object",
      "properties": {
        "entries": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/AccessLogEntryDto"
          }
        },
        "nextBefore": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "entries",
        "nextBefore"
      ]
    },
    "AdminFacilityDto": {
      "type": "object",
      "properties": {
        "rooms": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/AdminRoomDto"
          }
        },
        "department": {
          "type": "string"
        },
        "active": {
          "type": "boolean"
        },
        "source": {
          "type": "string"
        },
        "revision": {
          "type": "number"
        },
        "updatedAt": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "kind": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "openingHours": {
          "type": "object",
          "properties": {},
          "additionalProperties": {
            "allOf": [
              {
                "$ref": "#/components/schemas/OpeningHoursViewDto"
              }
            ],
            "nullable": true
          }
        },
        "slotMinutes": {
          "type": "number"
        },
        "holidays": {
          "type": "string"
        },
        "holidayHours": {
          "allOf": [
            {
              "$ref": "#/components/schemas/OpeningHoursViewDto"
            }
          ],
          "nullable": true
        },
        "closedDates": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "closedAnnually": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "bookingWindowDays": {
          "type": "number"
        },
        "holds": {
          "$ref": "#/components/schemas/HoldsDto"
        },
        "cancellation": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/CancellationTierViewDto"
          }
        },
        "reductions": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ReductionViewDto"
          }
        },
        "details": {
          "$ref": "#/components/schemas/FacilityDetailsDto"
        }
      },
      "required": [
        "rooms",
        "department",
        "active",
        "source",
        "revision",
        "updatedAt",
        "code",
        "name",
        "kind",
        "procedureCode",
        "openingHours",
        "slotMinutes",
        "holidays",
        "holidayHours",
        "closedDates",
        "closedAnnually",
        "bookingWindowDays",
        "holds",
        "cancellation",
        "reductions",
        "details"
      ]
    },
    "AdminKpi": {
      "type": "object",
      "properties": {
        "revision": {
          "type": "number"
        },
        "updatedBy": {
          "type": "string"
        },
        "updatedAt": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "unit": {
          "type": "string"
        },
        "baseline": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "fiscalYear": {
              "type": "number"
            }
          },
          "required": [
            "value",
            "fiscalYear"
          ]
        },
        "direction": {
          "type": "string",
          "enum": [
            "up",
            "down"
          ]
        },
        "source": {
          "type": "string",
          "enum": [
            "measured",
            "entered"
          ]
        },
        "measure": {
          "type": "string",
          "enum": [
            "onlineProcedures",
            "cashlessServices",
            "onlineShare",
            "convenienceStoreShare",
            "cashlessPaymentShare",
            "processingTimeMedian",
            "processingTimeP90",
            "counterWaitMinutes",
            "noShowRate"
          ],
          "nullable": true
        },
        "procedureCodes": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "department": {
          "type": "string",
          "nullable": true
        },
        "sortOrder": {
          "type": "number"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "revision",
        "updatedBy",
        "updatedAt",
        "code",
        "name",
        "unit",
        "baseline",
        "target",
        "direction",
        "source",
        "measure",
        "procedureCodes",
        "department",
        "sortOrder",
        "active"
      ]
    },
    "AdminRoomDto": {
      "type": "object",
      "properties": {
        "active": {
          "type": "boolean"
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "capacity": {
          "type": "number"
        },
        "rates": {
          "$ref": "#/components/schemas/RatesDto"
        }
      },
      "required": [
        "active",
        "code",
        "name",
        "capacity",
        "rates"
      ]
    },
    "ApplicationDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "procedureVersion": {
          "type": "number"
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "channel": {
          "type": "string"
        },
        "state": {
          "type": "string"
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "revision": {
          "type": "number"
        },
        "allowedEvents": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "formData": {
          "type": "object",
          "properties": {},
          "additionalProperties": true
        },
        "fee": {
          "type": "number",
          "nullable": true
        },
        "sendBack": {
          "type": "object",
          "properties": {
            "fields": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "fields",
            "message"
          ],
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        },
        "submittedAt": {
          "type": "string",
          "nullable": true
        },
        "dueOn": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "id",
        "procedureCode",
        "procedureVersion",
        "referenceNumber",
        "channel",
        "state",
        "status",
        "revision",
        "allowedEvents",
        "formData",
        "fee",
        "sendBack",
        "createdAt",
        "submittedAt",
        "dueOn"
      ]
    },
    "ApplicationsByChannel": {
      "type": "object",
      "properties": {
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        },
        "byChannel": {
          "$ref": "#/components/schemas/ChannelCounts2"
        },
        "total": {
          "type": "number"
        },
        "onlineShare": {
          "type": "number",
          "nullable": true
        },
        "procedures": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ProcedureChannelCounts"
          }
        }
      },
      "required": [
        "from",
        "to",
        "byChannel",
        "total",
        "onlineShare",
        "procedures"
      ]
    },
    "ApplicationSummaryDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "state": {
          "type": "string"
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "channel": {
          "type": "string"
        },
        "createdAt": {
          "type": "string"
        },
        "submittedAt": {
          "type": "string",
          "nullable": true
        },
        "dueOn": {
          "type": "string",
          "nullable": true
        },
        "updatedAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "procedureCode",
        "referenceNumber",
        "state",
        "status",
        "channel",
        "createdAt",
        "submittedAt",
        "dueOn",
        "updatedAt"
      ]
    },
    "ApprovalConsultationStep": {
      "type": "object",
      "properties": {
        "consultation": {
          "type": "object",
          "properties": {
            "departments": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "level": {
              "type": "string",
              "enum": [
                "kakaricho",
                "kacho",
                "bucho"
              ]
            }
          },
          "required": [
            "departments"
          ]
        }
      },
      "required": [
        "consultation"
      ]
    },
    "ApprovalLevelStep": {
      "type": "object",
      "properties": {
        "role": {
          "type": "string",
          "enum": [
            "approver"
          ]
        },
        "level": {
          "type": "string",
          "enum": [
            "kakaricho",
            "kacho",
            "bucho"
          ]
        }
      },
      "required": [
        "role",
        "level"
      ]
    },
    "ApprovalRule": {
      "type": "object",
      "properties": {
        "when": {
          "type": "object",
          "properties": {
            "field": {
              "type": "string"
            },
            "atLeast": {
              "type": "number"
            },
            "in": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          "required": [
            "field"
          ]
        },
        "level": {
          "type": "string",
          "enum": [
            "kakaricho",
            "kacho",
            "bucho"
          ]
        }
      },
      "required": [
        "when",
        "level"
      ]
    },
    "ApprovalViewDto": {
      "type": "object",
      "properties": {
        "applicationId": {
          "type": "string"
        },
        "state": {
          "type": "string"
        },
        "revision": {
          "type": "number"
        },
        "round": {
          "type": "number",
          "nullable": true
        },
        "status": {
          "type": "string",
          "nullable": true
        },
        "route": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/StepDto"
          }
        },
        "stepIndex": {
          "type": "number",
          "nullable": true
        },
        "waitingDepartments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "decisions": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/DecisionDto"
          }
        },
        "verification": {
          "$ref": "#/components/schemas/ChainVerification"
        },
        "grantDecision": {
          "allOf": [
            {
              "$ref": "#/components/schemas/GrantDecisionDto"
            }
          ],
          "nullable": true
        }
      },
      "required": [
        "applicationId",
        "state",
        "revision",
        "round",
        "status",
        "route",
        "stepIndex",
        "waitingDepartments",
        "decisions",
        "verification",
        "grantDecision"
      ]
    },
    "AreaEvaluationView": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedLabel"
        },
        "revision": {
          "type": "number",
          "nullable": true
        },
        "enteredBy": {
          "type": "string",
          "nullable": true
        },
        "enteredAt": {
          "type": "string",
          "nullable": true
        },
        "items": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/EvaluationItemView"
          }
        },
        "goodPoints": {
          "type": "string"
        },
        "pointsToStudy": {
          "type": "string"
        },
        "computed": {
          "type": "object",
          "properties": {
            "rating": {
              "type": "string",
              "enum": [
                "advanced",
                "good",
                "minorIssues",
                "deficient"
              ]
            },
            "label": {
              "$ref": "#/components/schemas/LocalizedLabel"
            },
            "trail": {
              "$ref": "#/components/schemas/RatingTrailView"
            }
          },
          "required": [
            "rating",
            "label",
            "trail"
          ]
        },
        "published": {
          "type": "object",
          "properties": {
            "rating": {
              "type": "string",
              "enum": [
                "advanced",
                "good",
                "minorIssues",
                "deficient"
              ]
            },
            "label": {
              "$ref": "#/components/schemas/LocalizedLabel"
            }
          },
          "required": [
            "rating",
            "label"
          ],
          "nullable": true
        },
        "mismatch": {
          "type": "object",
          "properties": {
            "matches": {
              "type": "boolean"
            },
            "reason": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/LocalizedLabel"
                }
              ],
              "nullable": true
            }
          },
          "required": [
            "matches",
            "reason"
          ],
          "nullable": true
        }
      },
      "required": [
        "code",
        "name",
        "revision",
        "enteredBy",
        "enteredAt",
        "items",
        "goodPoints",
        "pointsToStudy",
        "computed",
        "published",
        "mismatch"
      ]
    },
    "AttachmentDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "fileName": {
          "type": "string"
        },
        "contentType": {
          "type": "string"
        },
        "sizeBytes": {
          "type": "number"
        },
        "sha256": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "fileName",
        "contentType",
        "sizeBytes",
        "sha256"
      ]
    },
    "AuditActor": {
      "type": "object",
      "properties": {
        "kind": {
          "type": "string",
          "enum": [
            "resident",
            "staff",
            "system",
            "anonymous"
          ]
        },
        "id": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "kind",
        "id"
      ]
    },
    "AuditEntry": {
      "type": "object",
      "properties": {
        "municipalityId": {
          "type": "string"
        },
        "seq": {
          "type": "number"
        },
        "occurredAt": {
          "type": "string",
          "format": "date-time"
        },
        "actor": {
          "$ref": "#/components/schemas/AuditActor"
        },
        "action": {
          "type": "string"
        },
        "target": {
          "allOf": [
            {
              "$ref": "#/components/schemas/AuditTarget"
            }
          ],
          "nullable": true
        },
        "details": {
          "type": "object",
          "properties": {},
          "additionalProperties": true
        },
        "prevHash": {
          "type": "string"
        },
        "hash": {
          "type": "string"
        }
      },
      "required": [
        "municipalityId",
        "seq",
        "occurredAt",
        "actor",
        "action",
        "target",
        "details",
        "prevHash",
        "hash"
      ]
    },
    "AuditPage": {
      "type": "object",
      "properties": {
        "entries": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/AuditEntry"
          }
        },
        "nextBefore": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "entries",
        "nextBefore"
      ]
    },
    "AuditTarget": {
      "type": "object",
      "properties": {
        "type": {
          "type": "string"
        },
        "id": {
          "type": "string"
        }
      },
      "required": [
        "type",
        "id"
      ]
    },
    "AuditVerification": {
      "type": "object",
      "properties": {
        "ok": {
          "type": "boolean"
        },
        "checked": {
          "type": "number"
        },
        "firstBroken": {
          "type": "object",
          "properties": {
            "seq": {
              "type": "number"
            },
            "reason": {
              "type": "string",
              "enum": [
                "hash mismatch",
                "prev_hash mismatch",
                "gap in sequence",
                "truncated before checkpoint",
                "differs from checkpoint"
              ]
            }
          },
          "required": [
            "seq",
            "reason"
          ],
          "nullable": true
        },
        "head": {
          "type": "object",
          "properties": {
            "seq": {
              "type": "number"
            },
            "hash": {
              "type": "string"
            }
          },
          "required": [
            "seq",
            "hash"
          ],
          "nullable": true
        },
        "checkpoint": {
          "oneOf": [
            {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string",
                  "enum": [
                    "none"
                  ]
                }
              },
              "required": [
                "status"
              ]
            },
            {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string",
                  "enum": [
                    "matches",
                    "truncated",
                    "differs"
                  ]
                },
                "seq": {
                  "type": "number"
                },
                "hash": {
                  "type": "string"
                },
                "at": {
                  "type": "string"
                }
              },
              "required": [
                "status",
                "seq",
                "hash",
                "at"
              ]
            },
            {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string",
                  "enum": [
                    "invalid"
                  ]
                },
                "line": {
                  "type": "number"
                },
                "problem": {
                  "type": "string"
                }
              },
              "required": [
                "status",
                "line",
                "problem"
              ]
            }
          ]
        }
      },
      "required": [
        "ok",
        "checked",
        "firstBroken",
        "head",
        "checkpoint"
      ]
    },
    "AvailabilityDto": {
      "type": "object",
      "properties": {
        "facility": {
          "type": "string"
        },
        "timeZone": {
          "type": "string"
        },
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        },
        "slotMinutes": {
          "type": "number"
        },
        "days": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/DayAvailabilityDto"
          }
        }
      },
      "required": [
        "facility",
        "timeZone",
        "from",
        "to",
        "slotMinutes",
        "days"
      ]
    },
    "Basic4": {
      "type": "object",
      "properties": {
        "name": {
          "type": "string"
        },
        "address": {
          "type": "string"
        },
        "dateOfBirth": {
          "type": "string"
        },
        "sex": {
          "type": "string",
          "enum": [
            "male",
            "female"
          ]
        }
      },
      "required": [
        "name",
        "address",
        "dateOfBirth",
        "sex"
      ]
    },
    "BlockDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "room": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "start": {
          "type": "string"
        },
        "end": {
          "type": "string"
        },
        "reason": {
          "type": "string"
        },
        "note": {
          "type": "string",
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "room",
        "date",
        "start",
        "end",
        "reason",
        "note",
        "createdAt"
      ]
    },
    "BlockResultDto": {
      "type": "object",
      "properties": {
        "blocks": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/BlockDto"
          }
        },
        "flagged": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/StaffBookingDto"
          }
        }
      },
      "required": [
        "blocks",
        "flagged"
      ]
    },
    "BookingCancellationDto": {
      "type": "object",
      "properties": {
        "cancelledAt": {
          "type": "string"
        },
        "by": {
          "type": "string"
        },
        "reason": {
          "type": "string",
          "nullable": true
        },
        "refundPercent": {
          "type": "number"
        },
        "refundAmount": {
          "type": "number"
        }
      },
      "required": [
        "cancelledAt",
        "by",
        "reason",
        "refundPercent",
        "refundAmount"
      ]
    },
    "BookingDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "bookingNumber": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "facility": {
          "$ref": "#/components/schemas/NamedCodeDto"
        },
        "room": {
          "$ref": "#/components/schemas/NamedCodeDto"
        },
        "date": {
          "type": "string"
        },
        "slots": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/SlotDto"
          }
        },
        "channel": {
          "type": "string"
        },
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "expiresAt": {
          "type": "string",
          "nullable": true
        },
        "fee": {
          "allOf": [
            {
              "$ref": "#/components/schemas/BookingFeeDto"
            }
          ],
          "nullable": true
        },
        "cancellation": {
          "allOf": [
            {
              "$ref": "#/components/schemas/BookingCancellationDto"
            }
          ],
          "nullable": true
        },
        "useOutcome": {
          "type": "string",
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "bookingNumber",
        "status",
        "facility",
        "room",
        "date",
        "slots",
        "channel",
        "applicationId",
        "expiresAt",
        "fee",
        "cancellation",
        "useOutcome",
        "createdAt"
      ]
    },
    "BookingDto2": {
      "type": "object",
      "properties": {
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "id": {
          "type": "string"
        },
        "number": {
          "type": "string"
        },
        "serviceCode": {
          "type": "string"
        },
        "serviceName": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "status": {
          "type": "string"
        },
        "statusLabel": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "calledTo": {
          "allOf": [
            {
              "$ref": "#/components/schemas/CalledToDto"
            }
          ],
          "nullable": true
        },
        "peopleAhead": {
          "type": "number",
          "nullable": true
        },
        "estimatedWaitMinutes": {
          "type": "number",
          "nullable": true
        },
        "appointmentAt": {
          "type": "string",
          "nullable": true
        },
        "priority": {
          "type": "boolean"
        },
        "issuedAt": {
          "type": "string"
        }
      },
      "required": [
        "applicationId",
        "id",
        "number",
        "serviceCode",
        "serviceName",
        "status",
        "statusLabel",
        "calledTo",
        "peopleAhead",
        "estimatedWaitMinutes",
        "appointmentAt",
        "priority",
        "issuedAt"
      ]
    },
    "BookingFeeDto": {
      "type": "object",
      "properties": {
        "residency": {
          "type": "string"
        },
        "base": {
          "type": "number"
        },
        "reductionCode": {
          "type": "string",
          "nullable": true
        },
        "reductionPercent": {
          "type": "number",
          "nullable": true
        },
        "amount": {
          "type": "number"
        }
      },
      "required": [
        "residency",
        "base",
        "reductionCode",
        "reductionPercent",
        "amount"
      ]
    },
    "CalledToDto": {
      "type": "object",
      "properties": {
        "counterId": {
          "type": "string"
        },
        "counterName": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        }
      },
      "required": [
        "counterId",
        "counterName"
      ]
    },
    "CancellationQuoteDto": {
      "type": "object",
      "properties": {
        "cancellable": {
          "type": "boolean"
        },
        "noticeDays": {
          "type": "number"
        },
        "refundPercent": {
          "type": "number"
        },
        "paid": {
          "type": "number"
        },
        "refundAmount": {
          "type": "number"
        }
      },
      "required": [
        "cancellable",
        "noticeDays",
        "refundPercent",
        "paid",
        "refundAmount"
      ]
    },
    "CancellationTierViewDto": {
      "type": "object",
      "properties": {
        "daysBefore": {
          "type": "number"
        },
        "refundPercent": {
          "type": "number"
        }
      },
      "required": [
        "daysBefore",
        "refundPercent"
      ]
    },
    "CashlessDashboard": {
      "type": "object",
      "properties": {
        "period": {
          "$ref": "#/components/schemas/DashboardPeriod"
        },
        "feePayments": {
          "type": "number"
        },
        "cashlessPayments": {
          "type": "number"
        },
        "cashlessShare": {
          "type": "number",
          "nullable": true
        },
        "months": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "month": {
                "type": "string"
              },
              "feePayments": {
                "type": "number"
              },
              "cashlessPayments": {
                "type": "number"
              },
              "cashlessShare": {
                "type": "number",
                "nullable": true
              }
            },
            "required": [
              "month",
              "feePayments",
              "cashlessPayments",
              "cashlessShare"
            ]
          }
        }
      },
      "required": [
        "period",
        "feePayments",
        "cashlessPayments",
        "cashlessShare",
        "months"
      ]
    },
    "CashlessKpiDto": {
      "type": "object",
      "properties": {
        "municipalityId": {
          "type": "string"
        },
        "asOf": {
          "type": "string"
        },
        "cashlessProcedureCount": {
          "type": "number"
        },
        "cashlessProcedures": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "baseline": {
          "type": "object",
          "properties": {
            "count": {
              "type": "number"
            },
            "date": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "count",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "count": {
              "type": "number"
            },
            "date": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "count",
            "date"
          ]
        },
        "gap": {
          "type": "number"
        },
        "period": {
          "type": "object",
          "properties": {
            "from": {
              "type": "string"
            },
            "to": {
              "type": "string"
            }
          },
          "required": [
            "from",
            "to"
          ]
        },
        "feePayments": {
          "type": "number"
        },
        "cashlessPayments": {
          "type": "number"
        },
        "cashlessShare": {
          "type": "number",
          "nullable": true
        },
        "byMethod": {
          "type": "object",
          "properties": {},
          "additionalProperties": {
            "type": "number"
          }
        },
        "byMethodGroup": {
          "type": "object",
          "properties": {},
          "additionalProperties": {
            "type": "number"
          }
        }
      },
      "required": [
        "municipalityId",
        "asOf",
        "cashlessProcedureCount",
        "cashlessProcedures",
        "baseline",
        "target",
        "gap",
        "period",
        "feePayments",
        "cashlessPayments",
        "cashlessShare",
        "byMethod",
        "byMethodGroup"
      ]
    },
    "CategoryCount": {
      "type": "object",
      "properties": {
        "nationalCategory": {
          "type": "string"
        },
        "label": {
          "$ref": "#/components/schemas/Localized"
        },
        "targeted": {
          "type": "number"
        },
        "online": {
          "type": "number"
        }
      },
      "required": [
        "nationalCategory",
        "label",
        "targeted",
        "online"
      ]
    },
    "ChainVerification": {
      "type": "object",
      "properties": {
        "intact": {
          "type": "boolean"
        },
        "brokenAt": {
          "type": "number",
          "nullable": true
        },
        "contentMatchesLastDecision": {
          "type": "boolean",
          "nullable": true
        },
        "decisions": {
          "type": "number"
        }
      },
      "required": [
        "intact",
        "brokenAt",
        "contentMatchesLastDecision",
        "decisions"
      ]
    },
    "ChannelCounts": {
      "type": "object",
      "properties": {
        "online": {
          "type": "number"
        },
        "counter": {
          "type": "number"
        },
        "mail": {
          "type": "number"
        },
        "convenienceStore": {
          "type": "number"
        }
      },
      "required": [
        "online",
        "counter",
        "mail",
        "convenienceStore"
      ]
    },
    "ChannelCounts2": {
      "type": "object",
      "properties": {
        "online": {
          "type": "number"
        },
        "counter": {
          "type": "number"
        },
        "mail": {
          "type": "number"
        },
        "convenienceStore": {
          "type": "number"
        }
      },
      "required": [
        "online",
        "counter",
        "mail",
        "convenienceStore"
      ]
    },
    "ChannelDto": {
      "type": "object",
      "properties": {
        "channel": {
          "type": "string"
        },
        "openedOn": {
          "type": "string",
          "nullable": true
        },
        "open": {
          "type": "boolean"
        }
      },
      "required": [
        "channel",
        "openedOn",
        "open"
      ]
    },
    "ChannelsDashboard": {
      "type": "object",
      "properties": {
        "period": {
          "$ref": "#/components/schemas/DashboardPeriod"
        },
        "total": {
          "type": "number"
        },
        "onlineShare": {
          "type": "number",
          "nullable": true
        },
        "byChannel": {
          "$ref": "#/components/schemas/ChannelCounts"
        },
        "procedures": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "code": {
                "type": "string"
              },
              "name": {
                "$ref": "#/components/schemas/LocalizedText"
              },
              "total": {
                "type": "number"
              },
              "byChannel": {
                "$ref": "#/components/schemas/ChannelCounts"
              },
              "onlineShare": {
                "type": "number",
                "nullable": true
              }
            },
            "required": [
              "code",
              "name",
              "total",
              "byChannel",
              "onlineShare"
            ]
          }
        },
        "months": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "month": {
                "type": "string"
              },
              "total": {
                "type": "number"
              },
              "byChannel": {
                "$ref": "#/components/schemas/ChannelCounts"
              },
              "onlineShare": {
                "type": "number",
                "nullable": true
              }
            },
            "required": [
              "month",
              "total",
              "byChannel",
              "onlineShare"
            ]
          }
        }
      },
      "required": [
        "period",
        "total",
        "onlineShare",
        "byChannel",
        "procedures",
        "months"
      ]
    },
    "ClaimDto": {
      "type": "object",
      "properties": {
        "applicationId": {
          "type": "string"
        },
        "claimedBy": {
          "allOf": [
            {
              "$ref": "#/components/schemas/StaffRefDto"
            }
          ],
          "nullable": true
        },
        "claimedAt": {
          "type": "string",
          "nullable": true
        },
        "lastActiveAt": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "applicationId",
        "claimedBy",
        "claimedAt",
        "lastActiveAt"
      ]
    },
    "CounterApplicationDto": {
      "type": "object",
      "properties": {
        "applicantId": {
          "type": "string",
          "nullable": true
        },
        "enteredBy": {
          "type": "string",
          "nullable": true
        },
        "identityRequired": {
          "type": "boolean"
        },
        "identityChecks": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/IdentityCheckDto"
          }
        },
        "id": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "procedureVersion": {
          "type": "number"
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "channel": {
          "type": "string"
        },
        "state": {
          "type": "string"
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "revision": {
          "type": "number"
        },
        "allowedEvents": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "formData": {
          "type": "object",
          "properties": {},
          "additionalProperties": true
        },
        "fee": {
          "type": "number",
          "nullable": true
        },
        "sendBack": {
          "type": "object",
          "properties": {
            "fields": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "fields",
            "message"
          ],
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        },
        "submittedAt": {
          "type": "string",
          "nullable": true
        },
        "dueOn": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "applicantId",
        "enteredBy",
        "identityRequired",
        "identityChecks",
        "id",
        "procedureCode",
        "procedureVersion",
        "referenceNumber",
        "channel",
        "state",
        "status",
        "revision",
        "allowedEvents",
        "formData",
        "fee",
        "sendBack",
        "createdAt",
        "submittedAt",
        "dueOn"
      ]
    },
    "CounterDashboard": {
      "type": "object",
      "properties": {
        "period": {
          "$ref": "#/components/schemas/DashboardPeriod"
        },
        "tickets": {
          "type": "number"
        },
        "called": {
          "type": "number"
        },
        "noShows": {
          "type": "number"
        },
        "noShowRate": {
          "type": "number",
          "nullable": true
        },
        "averageWaitMinutes": {
          "type": "number",
          "nullable": true
        },
        "services": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "code": {
                "type": "string"
              },
              "name": {
                "$ref": "#/components/schemas/LocalizedText"
              },
              "tickets": {
                "type": "number"
              },
              "called": {
                "type": "number"
              },
              "noShows": {
                "type": "number"
              },
              "noShowRate": {
                "type": "number",
                "nullable": true
              },
              "averageWaitMinutes": {
                "type": "number",
                "nullable": true
              },
              "hours": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "hour": {
                      "type": "number"
                    },
                    "tickets": {
                      "type": "number"
                    },
                    "called": {
                      "type": "number"
                    },
                    "averageWaitMinutes": {
                      "type": "number",
                      "nullable": true
                    }
                  },
                  "required": [
                    "hour",
                    "tickets",
                    "called",
                    "averageWaitMinutes"
                  ]
                }
              }
            },
            "required": [
              "code",
              "name",
              "tickets",
              "called",
              "noShows",
              "noShowRate",
              "averageWaitMinutes",
              "hours"
            ]
          }
        }
      },
      "required": [
        "period",
        "tickets",
        "called",
        "noShows",
        "noShowRate",
        "averageWaitMinutes",
        "services"
      ]
    },
    "CounterDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "serviceCodes": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "open": {
          "type": "boolean"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "id",
        "name",
        "serviceCodes",
        "open",
        "active"
      ]
    },
    "CounterPaymentDto": {
      "type": "object",
      "properties": {
        "paymentId": {
          "type": "string"
        },
        "applicationId": {
          "type": "string"
        },
        "receiptNumber": {
          "type": "string"
        },
        "method": {
          "type": "string",
          "enum": [
            "cash",
            "cardTerminal",
            "qrTerminal"
          ]
        },
        "amount": {
          "type": "number"
        },
        "amountReceived": {
          "type": "number"
        },
        "change": {
          "type": "number"
        },
        "receivedBy": {
          "type": "string"
        },
        "receivedAt": {
          "type": "string"
        },
        "applicationState": {
          "type": "string"
        },
        "applicationRevision": {
          "type": "number"
        }
      },
      "required": [
        "paymentId",
        "applicationId",
        "receiptNumber",
        "method",
        "amount",
        "amountReceived",
        "change",
        "receivedBy",
        "receivedAt",
        "applicationState",
        "applicationRevision"
      ]
    },
    "CounterQueueDto": {
      "type": "object",
      "properties": {
        "counterId": {
          "type": "string"
        },
        "active": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/TicketDto"
          }
        },
        "waiting": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/TicketDto"
          }
        },
        "upcoming": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/TicketDto"
          }
        }
      },
      "required": [
        "counterId",
        "active",
        "waiting",
        "upcoming"
      ]
    },
    "CounterRefundDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "paymentId": {
          "type": "string"
        },
        "amount": {
          "type": "number"
        },
        "status": {
          "type": "string",
          "enum": [
            "requested",
            "payableAtCounter",
            "succeeded",
            "failed"
          ]
        },
        "reason": {
          "type": "string"
        },
        "paidOutBy": {
          "type": "string",
          "nullable": true
        },
        "paidOutAt": {
          "type": "string",
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "paymentId",
        "amount",
        "status",
        "reason",
        "paidOutBy",
        "paidOutAt",
        "createdAt"
      ]
    },
    "CounterServiceDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "ticketPrefix": {
          "type": "string"
        },
        "slotCapacity": {
          "type": "number"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "code",
        "name",
        "ticketPrefix",
        "slotCapacity",
        "active"
      ]
    },
    "CounterStatisticsDto": {
      "type": "object",
      "properties": {
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        },
        "timeZone": {
          "type": "string"
        },
        "total": {
          "$ref": "#/components/schemas/FiguresDto"
        },
        "services": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ServiceStatisticsDto"
          }
        }
      },
      "required": [
        "from",
        "to",
        "timeZone",
        "total",
        "services"
      ]
    },
    "CrowdingDto": {
      "type": "object",
      "properties": {
        "level": {
          "type": "string"
        },
        "label": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        }
      },
      "required": [
        "level",
        "label"
      ]
    },
    "DashboardPeriod": {
      "type": "object",
      "properties": {
        "fiscalYear": {
          "type": "number"
        },
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        },
        "department": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "fiscalYear",
        "from",
        "to",
        "department"
      ]
    },
    "DayAvailabilityDto": {
      "type": "object",
      "properties": {
        "date": {
          "type": "string"
        },
        "weekday": {
          "type": "string"
        },
        "holiday": {
          "allOf": [
            {
              "$ref": "#/components/schemas/LocalizedTextDto"
            }
          ],
          "nullable": true
        },
        "closed": {
          "type": "string",
          "nullable": true
        },
        "rooms": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/RoomAvailabilityDto"
          }
        }
      },
      "required": [
        "date",
        "weekday",
        "holiday",
        "closed",
        "rooms"
      ]
    },
    "DayListDto": {
      "type": "object",
      "properties": {
        "facility": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "closed": {
          "type": "string",
          "nullable": true
        },
        "rooms": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/DayRoomDto"
          }
        }
      },
      "required": [
        "facility",
        "date",
        "closed",
        "rooms"
      ]
    },
    "DayRoomDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "bookings": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/StaffBookingDto"
          }
        },
        "blocks": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/BlockDto"
          }
        }
      },
      "required": [
        "code",
        "name",
        "bookings",
        "blocks"
      ]
    },
    "DecisionDto": {
      "type": "object",
      "properties": {
        "seq": {
          "type": "number"
        },
        "round": {
          "type": "number"
        },
        "step": {
          "type": "number"
        },
        "stepKind": {
          "type": "string"
        },
        "department": {
          "type": "string"
        },
        "outcome": {
          "type": "string"
        },
        "approverId": {
          "type": "string"
        },
        "approverLevel": {
          "type": "string",
          "nullable": true
        },
        "onBehalfOf": {
          "type": "string",
          "nullable": true
        },
        "comment": {
          "type": "string",
          "nullable": true
        },
        "decidedAt": {
          "type": "string"
        },
        "contentHash": {
          "type": "string"
        },
        "previousHash": {
          "type": "string",
          "nullable": true
        },
        "hash": {
          "type": "string"
        }
      },
      "required": [
        "seq",
        "round",
        "step",
        "stepKind",
        "department",
        "outcome",
        "approverId",
        "approverLevel",
        "onBehalfOf",
        "comment",
        "decidedAt",
        "contentHash",
        "previousHash",
        "hash"
      ]
    },
    "DelegationDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "delegatorId": {
          "type": "string"
        },
        "delegateId": {
          "type": "string"
        },
        "startsAt": {
          "type": "string"
        },
        "endsAt": {
          "type": "string"
        },
        "reason": {
          "type": "string"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "id",
        "delegatorId",
        "delegateId",
        "startsAt",
        "endsAt",
        "reason",
        "active"
      ]
    },
    "Department": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "code",
        "name",
        "active"
      ]
    },
    "DocumentDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "applicationId": {
          "type": "string"
        },
        "kind": {
          "type": "string"
        },
        "title": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "serial": {
          "type": "string"
        },
        "issuedAt": {
          "type": "string"
        },
        "issuedOnWareki": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "revokedAt": {
          "type": "string",
          "nullable": true
        },
        "replacedBy": {
          "type": "string",
          "nullable": true
        },
        "verificationCode": {
          "type": "string"
        },
        "sha256": {
          "type": "string"
        },
        "byteSize": {
          "type": "number"
        },
        "verifyUrl": {
          "type": "string"
        },
        "downloadPath": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "id",
        "applicationId",
        "kind",
        "title",
        "serial",
        "issuedAt",
        "issuedOnWareki",
        "status",
        "revokedAt",
        "replacedBy",
        "verificationCode",
        "sha256",
        "byteSize",
        "verifyUrl",
        "downloadPath"
      ]
    },
    "DocumentSpec": {
      "type": "object",
      "properties": {
        "kind": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "delivery": {
          "type": "string",
          "enum": [
            "online",
            "counter",
            "mail"
          ]
        }
      },
      "required": [
        "kind",
        "name",
        "delivery"
      ]
    },
    "DrawnEntryDto": {
      "type": "object",
      "properties": {
        "position": {
          "type": "number"
        },
        "entryNumber": {
          "type": "number"
        },
        "key": {
          "type": "string"
        },
        "outcome": {
          "type": "string"
        },
        "status": {
          "type": "string"
        }
      },
      "required": [
        "position",
        "entryNumber",
        "key",
        "outcome",
        "status"
      ]
    },
    "DryRunReport": {
      "type": "object",
      "properties": {
        "cases": {
          "type": "number"
        },
        "sameState": {
          "type": "number"
        },
        "differentState": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/StateChangeGroup"
          }
        },
        "refused": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/RefusalGroup"
          }
        },
        "refusedCases": {
          "type": "number"
        },
        "formInvalidCases": {
          "type": "number"
        },
        "formProblems": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/FormProblemGroup"
          }
        },
        "skippedSensitiveFields": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "approvals": {
          "type": "object",
          "properties": {
            "recomputed": {
              "type": "number"
            },
            "asRecorded": {
              "type": "number"
            },
            "onBehalfAssumedQualified": {
              "type": "number"
            }
          },
          "required": [
            "recomputed",
            "asRecorded",
            "onBehalfAssumedQualified"
          ]
        }
      },
      "required": [
        "cases",
        "sameState",
        "differentState",
        "refused",
        "refusedCases",
        "formInvalidCases",
        "formProblems",
        "skippedSensitiveFields",
        "approvals"
      ]
    },
    "DryRunView": {
      "type": "object",
      "properties": {
        "draftId": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "baseVersion": {
          "type": "number",
          "nullable": true
        },
        "draftVersion": {
          "type": "number"
        },
        "sample": {
          "type": "number"
        },
        "at": {
          "type": "string"
        },
        "report": {
          "$ref": "#/components/schemas/DryRunReport"
        }
      },
      "required": [
        "draftId",
        "code",
        "baseVersion",
        "draftVersion",
        "sample",
        "at",
        "report"
      ]
    },
    "EvaluationAreaView": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedLabel"
        },
        "position": {
          "type": "number"
        }
      },
      "required": [
        "code",
        "name",
        "position"
      ]
    },
    "EvaluationItemView": {
      "type": "object",
      "properties": {
        "label": {
          "$ref": "#/components/schemas/LocalizedLabel"
        },
        "mark": {
          "type": "string",
          "enum": [
            "advanced",
            "normal",
            "needsStudy",
            "behind"
          ]
        },
        "markLabel": {
          "$ref": "#/components/schemas/LocalizedLabel"
        },
        "nationalRate": {
          "type": "number",
          "nullable": true
        },
        "prefecturalRate": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "label",
        "mark",
        "markLabel",
        "nationalRate",
        "prefecturalRate"
      ]
    },
    "EvaluationYearView": {
      "type": "object",
      "properties": {
        "fiscalYear": {
          "type": "number"
        },
        "areas": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/AreaEvaluationView"
          }
        },
        "rule": {
          "type": "object",
          "properties": {
            "written": {
              "$ref": "#/components/schemas/LocalizedLabel"
            },
            "boundaries": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "case": {
                    "type": "string"
                  },
                  "ja": {
                    "type": "string"
                  },
                  "en": {
                    "type": "string"
                  }
                },
                "required": [
                  "case",
                  "ja",
                  "en"
                ]
              }
            }
          },
          "required": [
            "written",
            "boundaries"
          ]
        }
      },
      "required": [
        "fiscalYear",
        "areas",
        "rule"
      ]
    },
    "FacilityDetailsDto": {
      "type": "object",
      "properties": {
        "nameKana": {
          "type": "string",
          "nullable": true
        },
        "address": {
          "type": "string",
          "nullable": true
        },
        "latitude": {
          "type": "number",
          "nullable": true
        },
        "longitude": {
          "type": "number",
          "nullable": true
        },
        "phone": {
          "type": "string",
          "nullable": true
        },
        "url": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "nameKana",
        "address",
        "latitude",
        "longitude",
        "phone",
        "url"
      ]
    },
    "FacilityDto": {
      "type": "object",
      "properties": {
        "rooms": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/RoomDto"
          }
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "kind": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "openingHours": {
          "type": "object",
          "properties": {},
          "additionalProperties": {
            "allOf": [
              {
                "$ref": "#/components/schemas/OpeningHoursViewDto"
              }
            ],
            "nullable": true
          }
        },
        "slotMinutes": {
          "type": "number"
        },
        "holidays": {
          "type": "string"
        },
        "holidayHours": {
          "allOf": [
            {
              "$ref": "#/components/schemas/OpeningHoursViewDto"
            }
          ],
          "nullable": true
        },
        "closedDates": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "closedAnnually": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "bookingWindowDays": {
          "type": "number"
        },
        "holds": {
          "$ref": "#/components/schemas/HoldsDto"
        },
        "cancellation": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/CancellationTierViewDto"
          }
        },
        "reductions": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ReductionViewDto"
          }
        },
        "details": {
          "$ref": "#/components/schemas/FacilityDetailsDto"
        }
      },
      "required": [
        "rooms",
        "code",
        "name",
        "kind",
        "procedureCode",
        "openingHours",
        "slotMinutes",
        "holidays",
        "holidayHours",
        "closedDates",
        "closedAnnually",
        "bookingWindowDays",
        "holds",
        "cancellation",
        "reductions",
        "details"
      ]
    },
    "FailedNotification": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "applicationId": {
          "type": "string"
        },
        "kind": {
          "type": "string"
        },
        "channel": {
          "type": "string"
        },
        "attempts": {
          "type": "number"
        },
        "lastError": {
          "type": "string",
          "nullable": true
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "required": [
        "id",
        "applicationId",
        "kind",
        "channel",
        "attempts",
        "lastError",
        "updatedAt"
      ]
    },
    "FeeDto": {
      "type": "object",
      "properties": {
        "rule": {
          "type": "string"
        },
        "amount": {
          "type": "number"
        },
        "quantityField": {
          "type": "string"
        },
        "timing": {
          "type": "string"
        },
        "paymentDeadlineHours": {
          "type": "number"
        },
        "reductions": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "code": {
                "type": "string"
              },
              "label": {
                "$ref": "#/components/schemas/LocalizedTextDto3"
              },
              "percent": {
                "type": "number"
              }
            },
            "required": [
              "code",
              "label",
              "percent"
            ]
          }
        }
      },
      "required": [
        "rule"
      ]
    },
    "FeeReduction": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "label": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "percent": {
          "type": "number"
        }
      },
      "required": [
        "code",
        "label",
        "percent"
      ]
    },
    "FeeRule": {
      "type": "object",
      "properties": {
        "rule": {
          "type": "string",
          "enum": [
            "none",
            "fixed",
            "perCopy",
            "perSlot"
          ]
        },
        "amount": {
          "type": "number"
        },
        "quantityField": {
          "type": "string"
        },
        "timing": {
          "type": "string",
          "enum": [
            "atSubmission",
            "afterAssessment"
          ]
        },
        "revenueAccountCode": {
          "type": "string"
        },
        "paymentDeadlineHours": {
          "type": "number"
        },
        "reductions": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/FeeReduction"
          }
        },
        "refunds": {
          "type": "object",
          "properties": {
            "onWithdrawal": {
              "type": "string",
              "enum": [
                "none",
                "full"
              ]
            },
            "onRejection": {
              "type": "string",
              "enum": [
                "none",
                "full"
              ]
            }
          },
          "required": [
            "onWithdrawal",
            "onRejection"
          ]
        }
      },
      "required": [
        "rule"
      ]
    },
    "FieldChange": {
      "type": "object",
      "properties": {
        "field": {
          "type": "string"
        },
        "change": {
          "type": "string",
          "enum": [
            "added",
            "removed",
            "typeChanged",
            "requiredChanged",
            "constraintsChanged"
          ]
        },
        "before": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "nullable": true
            },
            "required": {
              "type": "boolean"
            }
          },
          "required": [
            "type",
            "required"
          ],
          "nullable": true
        },
        "after": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "nullable": true
            },
            "required": {
              "type": "boolean"
            }
          },
          "required": [
            "type",
            "required"
          ],
          "nullable": true
        }
      },
      "required": [
        "field",
        "change",
        "before",
        "after"
      ]
    },
    "FieldChangeDto": {
      "type": "object",
      "properties": {
        "field": {
          "type": "string"
        },
        "title": {
          "type": "string",
          "nullable": true
        },
        "before": {},
        "after": {},
        "flagged": {
          "type": "boolean"
        }
      },
      "required": [
        "field",
        "title",
        "before",
        "after",
        "flagged"
      ]
    },
    "FiguresDto": {
      "type": "object",
      "properties": {
        "tickets": {
          "type": "number"
        },
        "called": {
          "type": "number"
        },
        "served": {
          "type": "number"
        },
        "noShows": {
          "type": "number"
        },
        "cancelled": {
          "type": "number"
        },
        "noShowRate": {
          "type": "number",
          "nullable": true
        },
        "averageWaitSeconds": {
          "type": "number",
          "nullable": true
        },
        "averageServiceSeconds": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "tickets",
        "called",
        "served",
        "noShows",
        "cancelled",
        "noShowRate",
        "averageWaitSeconds",
        "averageServiceSeconds"
      ]
    },
    "FormProblemGroup": {
      "type": "object",
      "properties": {
        "field": {
          "type": "string"
        },
        "keyword": {
          "type": "string"
        },
        "reason": {
          "type": "string"
        },
        "count": {
          "type": "number"
        },
        "examples": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "field",
        "keyword",
        "reason",
        "count",
        "examples"
      ]
    },
    "GrantDecisionDto": {
      "type": "object",
      "properties": {
        "decisionNumber": {
          "type": "string"
        },
        "kind": {
          "type": "string"
        },
        "title": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "amount": {
          "type": "number",
          "nullable": true
        },
        "requestedAmount": {
          "type": "number",
          "nullable": true
        },
        "reason": {
          "type": "string",
          "nullable": true
        },
        "decidedAt": {
          "type": "string"
        },
        "decidedOnWareki": {
          "type": "string"
        },
        "approvalHash": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "decisionNumber",
        "kind",
        "title",
        "amount",
        "requestedAmount",
        "reason",
        "decidedAt",
        "decidedOnWareki",
        "approvalHash"
      ]
    },
    "HandoverDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "expiresAt": {
          "type": "string"
        },
        "url": {
          "type": "string"
        },
        "qrSvg": {
          "type": "string"
        }
      },
      "required": [
        "code",
        "expiresAt",
        "url",
        "qrSvg"
      ]
    },
    "HoldsDto": {
      "type": "object",
      "properties": {
        "onlineMinutes": {
          "type": "number"
        },
        "counterMinutes": {
          "type": "number"
        }
      },
      "required": [
        "onlineMinutes",
        "counterMinutes"
      ]
    },
    "HourStatisticsDto": {
      "type": "object",
      "properties": {
        "hour": {
          "type": "number"
        },
        "tickets": {
          "type": "number"
        },
        "called": {
          "type": "number"
        },
        "served": {
          "type": "number"
        },
        "noShows": {
          "type": "number"
        },
        "cancelled": {
          "type": "number"
        },
        "noShowRate": {
          "type": "number",
          "nullable": true
        },
        "averageWaitSeconds": {
          "type": "number",
          "nullable": true
        },
        "averageServiceSeconds": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "hour",
        "tickets",
        "called",
        "served",
        "noShows",
        "cancelled",
        "noShowRate",
        "averageWaitSeconds",
        "averageServiceSeconds"
      ]
    },
    "IdentityCheckDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "method": {
          "type": "string"
        },
        "documentsShown": {
          "type": "number",
          "nullable": true
        },
        "note": {
          "type": "string",
          "nullable": true
        },
        "checkedBy": {
          "type": "string"
        },
        "checkedAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "method",
        "documentsShown",
        "note",
        "checkedBy",
        "checkedAt"
      ]
    },
    "JpkiCertificateSummary": {
      "type": "object",
      "properties": {
        "subject": {
          "type": "string"
        },
        "issuer": {
          "type": "string"
        },
        "serialNumber": {
          "type": "string"
        },
        "notBefore": {
          "type": "string",
          "format": "date-time"
        },
        "notAfter": {
          "type": "string",
          "format": "date-time"
        },
        "fingerprintSha256": {
          "type": "string"
        }
      },
      "required": [
        "subject",
        "issuer",
        "serialNumber",
        "notBefore",
        "notAfter",
        "fingerprintSha256"
      ]
    },
    "JpkiReverification": {
      "type": "object",
      "properties": {
        "valid": {
          "type": "boolean"
        },
        "verifiedAt": {
          "type": "string",
          "format": "date-time"
        },
        "contentHash": {
          "type": "string"
        },
        "certificate": {
          "$ref": "#/components/schemas/JpkiCertificateSummary"
        },
        "basic4": {
          "$ref": "#/components/schemas/Basic4"
        }
      },
      "required": [
        "valid",
        "verifiedAt",
        "contentHash",
        "certificate",
        "basic4"
      ]
    },
    "KonbiniSlipDto": {
      "type": "object",
      "properties": {
        "paymentNumber": {
          "type": "string"
        },
        "deadline": {
          "type": "string"
        }
      },
      "required": [
        "paymentNumber",
        "deadline"
      ]
    },
    "KpiCard": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "unit": {
          "type": "string"
        },
        "source": {
          "type": "string",
          "enum": [
            "measured",
            "entered"
          ]
        },
        "measure": {
          "type": "string",
          "enum": [
            "onlineProcedures",
            "cashlessServices",
            "onlineShare",
            "convenienceStoreShare",
            "cashlessPaymentShare",
            "processingTimeMedian",
            "processingTimeP90",
            "counterWaitMinutes",
            "noShowRate"
          ],
          "nullable": true
        },
        "direction": {
          "type": "string",
          "enum": [
            "up",
            "down"
          ]
        },
        "department": {
          "type": "string",
          "nullable": true
        },
        "baseline": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "fiscalYear": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "fiscalYear",
            "date"
          ]
        },
        "current": {
          "type": "object",
          "properties": {
            "month": {
              "type": "string"
            },
            "value": {
              "type": "number"
            }
          },
          "required": [
            "month",
            "value"
          ],
          "nullable": true
        },
        "plannedNow": {
          "type": "number",
          "nullable": true
        },
        "gap": {
          "type": "number",
          "nullable": true
        },
        "onTrack": {
          "type": "boolean",
          "nullable": true
        },
        "history": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/KpiHistoryPoint"
          }
        }
      },
      "required": [
        "code",
        "name",
        "unit",
        "source",
        "measure",
        "direction",
        "department",
        "baseline",
        "target",
        "current",
        "plannedNow",
        "gap",
        "onTrack",
        "history"
      ]
    },
    "KpiDefinition": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "unit": {
          "type": "string"
        },
        "baseline": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "fiscalYear": {
              "type": "number"
            }
          },
          "required": [
            "value",
            "fiscalYear"
          ]
        },
        "direction": {
          "type": "string",
          "enum": [
            "up",
            "down"
          ]
        },
        "source": {
          "type": "string",
          "enum": [
            "measured",
            "entered"
          ]
        },
        "measure": {
          "type": "string",
          "enum": [
            "onlineProcedures",
            "cashlessServices",
            "onlineShare",
            "convenienceStoreShare",
            "cashlessPaymentShare",
            "processingTimeMedian",
            "processingTimeP90",
            "counterWaitMinutes",
            "noShowRate"
          ],
          "nullable": true
        },
        "procedureCodes": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "department": {
          "type": "string",
          "nullable": true
        },
        "sortOrder": {
          "type": "number"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "code",
        "name",
        "unit",
        "baseline",
        "target",
        "direction",
        "source",
        "measure",
        "procedureCodes",
        "department",
        "sortOrder",
        "active"
      ]
    },
    "KpiDetail": {
      "type": "object",
      "properties": {
        "values": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "month": {
                "type": "string"
              },
              "value": {
                "type": "number"
              },
              "note": {
                "type": "string",
                "nullable": true
              },
              "enteredBy": {
                "type": "string"
              },
              "enteredAt": {
                "type": "string"
              },
              "superseded": {
                "type": "boolean"
              }
            },
            "required": [
              "id",
              "month",
              "value",
              "note",
              "enteredBy",
              "enteredAt",
              "superseded"
            ]
          }
        },
        "revisions": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "revision": {
                "type": "number"
              },
              "changedBy": {
                "type": "string"
              },
              "changedAt": {
                "type": "string"
              },
              "definition": {
                "$ref": "#/components/schemas/KpiDefinition"
              }
            },
            "required": [
              "revision",
              "changedBy",
              "changedAt",
              "definition"
            ]
          }
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "unit": {
          "type": "string"
        },
        "source": {
          "type": "string",
          "enum": [
            "measured",
            "entered"
          ]
        },
        "measure": {
          "type": "string",
          "enum": [
            "onlineProcedures",
            "cashlessServices",
            "onlineShare",
            "convenienceStoreShare",
            "cashlessPaymentShare",
            "processingTimeMedian",
            "processingTimeP90",
            "counterWaitMinutes",
            "noShowRate"
          ],
          "nullable": true
        },
        "direction": {
          "type": "string",
          "enum": [
            "up",
            "down"
          ]
        },
        "department": {
          "type": "string",
          "nullable": true
        },
        "baseline": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "value": {
              "type": "number"
            },
            "fiscalYear": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "value",
            "fiscalYear",
            "date"
          ]
        },
        "current": {
          "type": "object",
          "properties": {
            "month": {
              "type": "string"
            },
            "value": {
              "type": "number"
            }
          },
          "required": [
            "month",
            "value"
          ],
          "nullable": true
        },
        "plannedNow": {
          "type": "number",
          "nullable": true
        },
        "gap": {
          "type": "number",
          "nullable": true
        },
        "onTrack": {
          "type": "boolean",
          "nullable": true
        },
        "history": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/KpiHistoryPoint"
          }
        }
      },
      "required": [
        "values",
        "revisions",
        "code",
        "name",
        "unit",
        "source",
        "measure",
        "direction",
        "department",
        "baseline",
        "target",
        "current",
        "plannedNow",
        "gap",
        "onTrack",
        "history"
      ]
    },
    "KpiHistoryPoint": {
      "type": "object",
      "properties": {
        "month": {
          "type": "string"
        },
        "value": {
          "type": "number",
          "nullable": true
        },
        "kind": {
          "type": "string",
          "enum": [
            "none",
            "entered",
            "snapshot",
            "live"
          ]
        },
        "plan": {
          "type": "number"
        }
      },
      "required": [
        "month",
        "value",
        "kind",
        "plan"
      ]
    },
    "KpiPoint": {
      "type": "object",
      "properties": {
        "count": {
          "type": "number"
        },
        "date": {
          "type": "string"
        }
      },
      "required": [
        "count",
        "date"
      ]
    },
    "LegalHoldStatusDto": {
      "type": "object",
      "properties": {
        "applicationId": {
          "type": "string"
        },
        "held": {
          "type": "boolean"
        },
        "reason": {
          "type": "string",
          "nullable": true
        },
        "placedAt": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "applicationId",
        "held",
        "reason",
        "placedAt"
      ]
    },
    "Localized": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedFieldDto": {
      "type": "object",
      "properties": {
        "title": {
          "type": "string"
        },
        "hint": {
          "type": "string"
        },
        "choices": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "value": {
                "type": "string"
              },
              "label": {
                "type": "string"
              }
            },
            "required": [
              "value",
              "label"
            ]
          }
        }
      },
      "required": [
        "title"
      ]
    },
    "LocalizedLabel": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedNameDto": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedText": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedTextDto": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedTextDto2": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LocalizedTextDto3": {
      "type": "object",
      "properties": {
        "ja": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      },
      "required": [
        "ja",
        "en"
      ]
    },
    "LockedStaffDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "loginId": {
          "type": "string"
        },
        "displayName": {
          "type": "string"
        },
        "lockedUntil": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "loginId",
        "displayName",
        "lockedUntil"
      ]
    },
    "LotteryDrawDto": {
      "type": "object",
      "properties": {
        "lotteryId": {
          "type": "string"
        },
        "seed": {
          "type": "string"
        },
        "method": {
          "type": "string"
        },
        "drawnAt": {
          "type": "string"
        },
        "entryCount": {
          "type": "number"
        },
        "resultHash": {
          "type": "string"
        },
        "entries": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/PublicEntryDto"
          }
        },
        "order": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/DrawnEntryDto"
          }
        }
      },
      "required": [
        "lotteryId",
        "seed",
        "method",
        "drawnAt",
        "entryCount",
        "resultHash",
        "entries",
        "order"
      ]
    },
    "LotteryDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "facility": {
          "type": "string"
        },
        "rooms": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "periodFrom": {
          "type": "string"
        },
        "periodTo": {
          "type": "string"
        },
        "entryOpensAt": {
          "type": "string"
        },
        "entryClosesAt": {
          "type": "string"
        },
        "seed": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "paymentHours": {
          "type": "number"
        },
        "maxEntriesPerResident": {
          "type": "number"
        },
        "entryCount": {
          "type": "number"
        },
        "drawnAt": {
          "type": "string",
          "nullable": true
        },
        "resultHash": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "id",
        "facility",
        "rooms",
        "periodFrom",
        "periodTo",
        "entryOpensAt",
        "entryClosesAt",
        "seed",
        "status",
        "paymentHours",
        "maxEntriesPerResident",
        "entryCount",
        "drawnAt",
        "resultHash"
      ]
    },
    "LotteryEntryDto": {
      "type": "object",
      "properties": {
        "lotteryId": {
          "type": "string"
        },
        "entryNumber": {
          "type": "number"
        },
        "room": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "slots": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "organizerName": {
          "type": "string"
        },
        "purpose": {
          "type": "string"
        },
        "attendees": {
          "type": "number"
        },
        "status": {
          "type": "string"
        },
        "drawPosition": {
          "type": "number",
          "nullable": true
        },
        "bookingId": {
          "type": "string",
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "lotteryId",
        "entryNumber",
        "room",
        "date",
        "slots",
        "organizerName",
        "purpose",
        "attendees",
        "status",
        "drawPosition",
        "bookingId",
        "createdAt"
      ]
    },
    "NamedCodeDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        }
      },
      "required": [
        "code",
        "name"
      ]
    },
    "NoteDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "body": {
          "type": "string"
        },
        "author": {
          "$ref": "#/components/schemas/StaffRefDto"
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "body",
        "author",
        "createdAt"
      ]
    },
    "NowServingDto": {
      "type": "object",
      "properties": {
        "number": {
          "type": "string"
        },
        "counterId": {
          "type": "string"
        },
        "counterName": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "status": {
          "type": "string"
        }
      },
      "required": [
        "number",
        "counterId",
        "counterName",
        "status"
      ]
    },
    "OnlineProceduresDashboard": {
      "type": "object",
      "properties": {
        "period": {
          "$ref": "#/components/schemas/DashboardPeriod"
        },
        "asOf": {
          "type": "string"
        },
        "targetedCount": {
          "type": "number"
        },
        "onlineCount": {
          "type": "number"
        },
        "baseline": {
          "type": "object",
          "properties": {
            "count": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "count",
            "date"
          ]
        },
        "target": {
          "type": "object",
          "properties": {
            "count": {
              "type": "number"
            },
            "date": {
              "type": "string"
            }
          },
          "required": [
            "count",
            "date"
          ]
        },
        "gap": {
          "type": "number"
        },
        "plannedCount": {
          "type": "number"
        },
        "onTrack": {
          "type": "boolean"
        },
        "targetReachedOn": {
          "type": "string",
          "nullable": true
        },
        "stages": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "stage": {
                "type": "string",
                "enum": [
                  "study",
                  "draft",
                  "implement",
                  "operate",
                  "unset"
                ]
              },
              "label": {
                "$ref": "#/components/schemas/LocalizedText"
              },
              "count": {
                "type": "number"
              }
            },
            "required": [
              "stage",
              "label",
              "count"
            ]
          }
        },
        "byNationalCategory": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "nationalCategory": {
                "type": "string",
                "enum": [
                  "kosodate",
                  "kaigo",
                  "hisai",
                  "hikkoshi"
                ]
              },
              "label": {
                "$ref": "#/components/schemas/LocalizedText"
              },
              "targeted": {
                "type": "number"
              },
              "online": {
                "type": "number"
              }
            },
            "required": [
              "nationalCategory",
              "label",
              "targeted",
              "online"
            ]
          }
        },
        "procedures": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ProcedureKpiStatus"
          }
        }
      },
      "required": [
        "period",
        "asOf",
        "targetedCount",
        "onlineCount",
        "baseline",
        "target",
        "gap",
        "plannedCount",
        "onTrack",
        "targetReachedOn",
        "stages",
        "byNationalCategory",
        "procedures"
      ]
    },
    "OnlineProceduresKpiDto": {
      "type": "object",
      "properties": {
        "municipalityId": {
          "type": "string"
        },
        "asOf": {
          "type": "string"
        },
        "targetedCount": {
          "type": "number"
        },
        "onlineCount": {
          "type": "number"
        },
        "baseline": {
          "$ref": "#/components/schemas/KpiPoint"
        },
        "target": {
          "$ref": "#/components/schemas/KpiPoint"
        },
        "gap": {
          "type": "number"
        },
        "plannedCount": {
          "type": "number"
        },
        "onTrack": {
          "type": "boolean"
        },
        "targetReachedOn": {
          "type": "string",
          "nullable": true
        },
        "stages": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/StageCount"
          }
        },
        "byNationalCategory": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/CategoryCount"
          }
        },
        "procedures": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ProcedureStatus"
          }
        },
        "series": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/SeriesPoint"
          }
        },
        "applicationsByChannel": {
          "$ref": "#/components/schemas/ApplicationsByChannel"
        }
      },
      "required": [
        "municipalityId",
        "asOf",
        "targetedCount",
        "onlineCount",
        "baseline",
        "target",
        "gap",
        "plannedCount",
        "onTrack",
        "targetReachedOn",
        "stages",
        "byNationalCategory",
        "procedures",
        "series",
        "applicationsByChannel"
      ]
    },
    "OpenDataTable": {
      "type": "object",
      "properties": {
        "dataset": {
          "type": "string",
          "enum": [
            "online-procedures",
            "applications-by-month",
            "cashless-share",
            "counter-waiting-times",
            "facilities",
            "progress"
          ]
        },
        "columns": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "rows": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {},
            "additionalProperties": {
              "allOf": [
                {
                  "oneOf": [
                    {
                      "type": "string"
                    },
                    {
                      "type": "number"
                    },
                    {
                      "type": "boolean"
                    }
                  ]
                }
              ],
              "nullable": true
            }
          }
        }
      },
      "required": [
        "dataset",
        "columns",
        "rows"
      ]
    },
    "OpeningHoursViewDto": {
      "type": "object",
      "properties": {
        "open": {
          "type": "string"
        },
        "close": {
          "type": "string"
        }
      },
      "required": [
        "open",
        "close"
      ]
    },
    "PayeasyNumbersDto": {
      "type": "object",
      "properties": {
        "collectorNumber": {
          "type": "string"
        },
        "customerNumber": {
          "type": "string"
        },
        "confirmationNumber": {
          "type": "string"
        },
        "deadline": {
          "type": "string"
        }
      },
      "required": [
        "collectorNumber",
        "customerNumber",
        "confirmationNumber",
        "deadline"
      ]
    },
    "PaymentDto": {
      "type": "object",
      "properties": {
        "paymentId": {
          "type": "string"
        },
        "applicationId": {
          "type": "string"
        },
        "status": {
          "type": "string",
          "enum": [
            "succeeded",
            "failed",
            "created",
            "started",
            "authorised",
            "cancelled",
            "expired"
          ]
        },
        "method": {
          "type": "string",
          "enum": [
            "cash",
            "cardTerminal",
            "qrTerminal",
            "card",
            "paypay",
            "dpay",
            "aupay",
            "rakutenpay",
            "payeasy",
            "konbini"
          ],
          "nullable": true
        },
        "amount": {
          "type": "number"
        },
        "capturedAmount": {
          "type": "number"
        },
        "refundedAmount": {
          "type": "number"
        },
        "redirectUrl": {
          "type": "string",
          "nullable": true
        },
        "konbini": {
          "allOf": [
            {
              "$ref": "#/components/schemas/KonbiniSlipDto"
            }
          ],
          "nullable": true
        },
        "payeasy": {
          "allOf": [
            {
              "$ref": "#/components/schemas/PayeasyNumbersDto"
            }
          ],
          "nullable": true
        },
        "failureCode": {
          "type": "string",
          "nullable": true
        },
        "expiresAt": {
          "type": "string",
          "nullable": true
        },
        "refunds": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/RefundDto"
          }
        },
        "createdAt": {
          "type": "string"
        },
        "updatedAt": {
          "type": "string"
        }
      },
      "required": [
        "paymentId",
        "applicationId",
        "status",
        "method",
        "amount",
        "capturedAmount",
        "refundedAmount",
        "redirectUrl",
        "konbini",
        "payeasy",
        "failureCode",
        "expiresAt",
        "refunds",
        "createdAt",
        "updatedAt"
      ]
    },
    "PendingApprovalDto": {
      "type": "object",
      "properties": {
        "applicationId": {
          "type": "string"
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "procedureCode": {
          "type": "string"
        },
        "procedureName": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "revision": {
          "type": "number"
        },
        "round": {
          "type": "number"
        },
        "step": {
          "$ref": "#/components/schemas/StepDto"
        },
        "stepCount": {
          "type": "number"
        },
        "waitingDepartments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "department": {
          "type": "string"
        },
        "onBehalfOf": {
          "type": "string",
          "nullable": true
        },
        "submittedAt": {
          "type": "string",
          "nullable": true
        },
        "waitingSince": {
          "type": "string"
        }
      },
      "required": [
        "applicationId",
        "referenceNumber",
        "procedureCode",
        "procedureName",
        "revision",
        "round",
        "step",
        "stepCount",
        "waitingDepartments",
        "department",
        "onBehalfOf",
        "submittedAt",
        "waitingSince"
      ]
    },
    "PrintedFieldDto": {
      "type": "object",
      "properties": {
        "label": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "value": {
          "type": "string"
        }
      },
      "required": [
        "label",
        "value"
      ]
    },
    "ProcedureChannelCounts": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/Localized"
        },
        "byChannel": {
          "$ref": "#/components/schemas/ChannelCounts2"
        },
        "total": {
          "type": "number"
        },
        "onlineShare": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "code",
        "name",
        "byChannel",
        "total",
        "onlineShare"
      ]
    },
    "ProcedureDetailDto": {
      "type": "object",
      "properties": {
        "description": {
          "$ref": "#/components/schemas/LocalizedTextDto3"
        },
        "standardProcessingDays": {
          "type": "number"
        },
        "formSchema": {
          "type": "object",
          "properties": {},
          "additionalProperties": true
        },
        "fee": {
          "$ref": "#/components/schemas/FeeDto"
        },
        "steps": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "document": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "name": {
              "$ref": "#/components/schemas/LocalizedTextDto3"
            },
            "delivery": {
              "type": "string"
            }
          },
          "required": [
            "kind",
            "name",
            "delivery"
          ],
          "nullable": true
        },
        "text": {
          "$ref": "#/components/schemas/ProcedureDetailTextDto"
        },
        "code": {
          "type": "string"
        },
        "version": {
          "type": "number"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto3"
        },
        "category": {
          "type": "string"
        },
        "department": {
          "type": "string"
        },
        "nationalCategory": {
          "type": "string",
          "nullable": true
        },
        "nationalCategoryLabel": {
          "allOf": [
            {
              "$ref": "#/components/schemas/LocalizedTextDto3"
            }
          ],
          "nullable": true
        },
        "nationalCode": {
          "type": "string",
          "nullable": true
        },
        "targeted": {
          "type": "boolean"
        },
        "online": {
          "type": "boolean"
        },
        "channels": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ChannelDto"
          }
        },
        "identity": {
          "type": "string"
        }
      },
      "required": [
        "formSchema",
        "fee",
        "steps",
        "document",
        "code",
        "version",
        "name",
        "category",
        "department",
        "nationalCategory",
        "nationalCategoryLabel",
        "nationalCode",
        "targeted",
        "online",
        "channels",
        "identity"
      ]
    },
    "ProcedureDetailTextDto": {
      "type": "object",
      "properties": {
        "documentName": {
          "type": "string",
          "nullable": true
        },
        "fields": {
          "type": "object",
          "properties": {},
          "additionalProperties": {
            "$ref": "#/components/schemas/LocalizedFieldDto"
          }
        },
        "language": {
          "type": "string"
        },
        "name": {
          "type": "string"
        },
        "description": {
          "type": "string"
        },
        "eligibility": {
          "type": "string"
        },
        "requirements": {
          "type": "string"
        }
      },
      "required": [
        "documentName",
        "fields",
        "language",
        "name",
        "description",
        "eligibility",
        "requirements"
      ]
    },
    "ProcedureDiffView": {
      "type": "object",
      "properties": {
        "draftId": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "fromVersion": {
          "type": "number",
          "nullable": true
        },
        "toVersion": {
          "type": "number"
        },
        "fields": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/FieldChange"
          }
        },
        "fee": {
          "type": "object",
          "properties": {
            "changed": {
              "type": "boolean"
            },
            "before": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/FeeRule"
                }
              ],
              "nullable": true
            },
            "after": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/FeeRule"
                }
              ],
              "nullable": true
            }
          },
          "required": [
            "changed",
            "before",
            "after"
          ]
        },
        "approvalRoute": {
          "type": "object",
          "properties": {
            "changed": {
              "type": "boolean"
            },
            "before": {
              "type": "object",
              "properties": {
                "route": {
                  "type": "array",
                  "items": {
                    "oneOf": [
                      {
                        "$ref": "#/components/schemas/ApprovalLevelStep"
                      },
                      {
                        "$ref": "#/components/schemas/ApprovalConsultationStep"
                      }
                    ]
                  }
                },
                "rules": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/ApprovalRule"
                  }
                }
              },
              "required": [
                "route",
                "rules"
              ],
              "nullable": true
            },
            "after": {
              "type": "object",
              "properties": {
                "route": {
                  "type": "array",
                  "items": {
                    "oneOf": [
                      {
                        "$ref": "#/components/schemas/ApprovalLevelStep"
                      },
                      {
                        "$ref": "#/components/schemas/ApprovalConsultationStep"
                      }
                    ]
                  }
                },
                "rules": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/ApprovalRule"
                  }
                }
              },
              "required": [
                "route",
                "rules"
              ],
              "nullable": true
            }
          },
          "required": [
            "changed",
            "before",
            "after"
          ]
        },
        "steps": {
          "type": "object",
          "properties": {
            "changed": {
              "type": "boolean"
            },
            "before": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "fee",
                  "form",
                  "identity",
                  "review",
                  "approval",
                  "booking",
                  "issue",
                  "notify"
                ]
              },
              "nullable": true
            },
            "after": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "fee",
                  "form",
                  "identity",
                  "review",
                  "approval",
                  "booking",
                  "issue",
                  "notify"
                ]
              },
              "nullable": true
            },
            "added": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "removed": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          "required": [
            "changed",
            "before",
            "after",
            "added",
            "removed"
          ]
        },
        "document": {
          "type": "object",
          "properties": {
            "changed": {
              "type": "boolean"
            },
            "before": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/DocumentSpec"
                }
              ],
              "nullable": true
            },
            "after": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/DocumentSpec"
                }
              ],
              "nullable": true
            }
          },
          "required": [
            "changed",
            "before",
            "after"
          ]
        },
        "otherChanges": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "draftId",
        "code",
        "fromVersion",
        "toVersion",
        "fields",
        "fee",
        "approvalRoute",
        "steps",
        "document",
        "otherChanges"
      ]
    },
    "ProcedureDraftView": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "version": {
          "type": "number"
        },
        "yaml": {
          "type": "string"
        },
        "textHash": {
          "type": "string"
        },
        "createdBy": {
          "type": "string"
        },
        "createdAt": {
          "type": "string"
        },
        "updatedAt": {
          "type": "string"
        },
        "dryRun": {
          "type": "object",
          "properties": {
            "at": {
              "type": "string"
            },
            "baseVersion": {
              "type": "number",
              "nullable": true
            },
            "matchesText": {
              "type": "boolean"
            },
            "report": {
              "$ref": "#/components/schemas/DryRunReport"
            }
          },
          "required": [
            "at",
            "baseVersion",
            "matchesText",
            "report"
          ],
          "nullable": true
        },
        "published": {
          "type": "object",
          "properties": {
            "version": {
              "type": "number"
            },
            "by": {
              "type": "string"
            },
            "at": {
              "type": "string"
            }
          },
          "required": [
            "version",
            "by",
            "at"
          ],
          "nullable": true
        }
      },
      "required": [
        "id",
        "code",
        "version",
        "yaml",
        "textHash",
        "createdBy",
        "createdAt",
        "updatedAt",
        "dryRun",
        "published"
      ]
    },
    "ProcedureKpiStatus": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedText"
        },
        "nationalCategory": {
          "type": "string",
          "enum": [
            "kosodate",
            "kaigo",
            "hisai",
            "hikkoshi"
          ],
          "nullable": true
        },
        "stage": {
          "type": "string",
          "enum": [
            "study",
            "draft",
            "implement",
            "operate"
          ],
          "nullable": true
        },
        "online": {
          "type": "boolean"
        },
        "onlineSince": {
          "type": "string",
          "nullable": true
        },
        "offlineReasons": {
          "type": "array",
          "items": {
            "type": "string",
            "enum": [
              "noOnlineChannel",
              "onlineNotYetOpen",
              "identityInPerson",
              "documentCollectedAtCounter"
            ]
          }
        }
      },
      "required": [
        "code",
        "name",
        "nationalCategory",
        "stage",
        "online",
        "onlineSince",
        "offlineReasons"
      ]
    },
    "ProcedureStatus": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/Localized"
        },
        "nationalCategory": {
          "type": "string",
          "nullable": true
        },
        "stage": {
          "type": "string",
          "nullable": true
        },
        "online": {
          "type": "boolean"
        },
        "onlineSince": {
          "type": "string",
          "nullable": true
        },
        "offlineReasons": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "code",
        "name",
        "nationalCategory",
        "stage",
        "online",
        "onlineSince",
        "offlineReasons"
      ]
    },
    "ProcedureSummaryDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "version": {
          "type": "number"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto3"
        },
        "category": {
          "type": "string"
        },
        "department": {
          "type": "string"
        },
        "nationalCategory": {
          "type": "string",
          "nullable": true
        },
        "nationalCategoryLabel": {
          "allOf": [
            {
              "$ref": "#/components/schemas/LocalizedTextDto3"
            }
          ],
          "nullable": true
        },
        "nationalCode": {
          "type": "string",
          "nullable": true
        },
        "targeted": {
          "type": "boolean"
        },
        "online": {
          "type": "boolean"
        },
        "channels": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ChannelDto"
          }
        },
        "identity": {
          "type": "string"
        },
        "text": {
          "$ref": "#/components/schemas/ProcedureSummaryTextDto"
        }
      },
      "required": [
        "code",
        "version",
        "name",
        "category",
        "department",
        "nationalCategory",
        "nationalCategoryLabel",
        "nationalCode",
        "targeted",
        "online",
        "channels",
        "identity"
      ]
    },
    "ProcedureSummaryTextDto": {
      "type": "object",
      "properties": {
        "language": {
          "type": "string"
        },
        "name": {
          "type": "string"
        },
        "description": {
          "type": "string"
        },
        "eligibility": {
          "type": "string"
        },
        "requirements": {
          "type": "string"
        }
      },
      "required": [
        "language",
        "name",
        "description",
        "eligibility",
        "requirements"
      ]
    },
    "ProcessingTimeFigures": {
      "type": "object",
      "properties": {
        "closed": {
          "type": "number"
        },
        "medianBusinessDays": {
          "type": "number",
          "nullable": true
        },
        "p90BusinessDays": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "closed",
        "medianBusinessDays",
        "p90BusinessDays"
      ]
    },
    "ProcessingTimesDashboard": {
      "type": "object",
      "properties": {
        "period": {
          "$ref": "#/components/schemas/DashboardPeriod"
        },
        "overall": {
          "$ref": "#/components/schemas/ProcessingTimeFigures"
        },
        "histogram": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "businessDays": {
                "type": "number"
              },
              "count": {
                "type": "number"
              }
            },
            "required": [
              "businessDays",
              "count"
            ]
          }
        },
        "procedures": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "code": {
                "type": "string"
              },
              "name": {
                "$ref": "#/components/schemas/LocalizedText"
              },
              "closed": {
                "type": "number"
              },
              "medianBusinessDays": {
                "type": "number",
                "nullable": true
              },
              "p90BusinessDays": {
                "type": "number",
                "nullable": true
              }
            },
            "required": [
              "code",
              "name",
              "closed",
              "medianBusinessDays",
              "p90BusinessDays"
            ]
          }
        }
      },
      "required": [
        "period",
        "overall",
        "histogram",
        "procedures"
      ]
    },
    "PublicEntryDto": {
      "type": "object",
      "properties": {
        "entryNumber": {
          "type": "number"
        },
        "room": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "slots": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "entryNumber",
        "room",
        "date",
        "slots"
      ]
    },
    "PublicProgress": {
      "type": "object",
      "properties": {
        "municipality": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "name": {
              "type": "object",
              "properties": {
                "ja": {
                  "type": "string"
                },
                "en": {
                  "type": "string"
                }
              },
              "required": [
                "ja",
                "en"
              ]
            }
          },
          "required": [
            "code",
            "name"
          ]
        },
        "fiscalYear": {
          "type": "number",
          "nullable": true
        },
        "kpis": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "code": {
                "type": "string"
              },
              "name": {
                "type": "object",
                "properties": {
                  "ja": {
                    "type": "string"
                  },
                  "en": {
                    "type": "string"
                  }
                },
                "required": [
                  "ja",
                  "en"
                ]
              },
              "unit": {
                "type": "string"
              },
              "direction": {
                "type": "string",
                "enum": [
                  "up",
                  "down"
                ]
              },
              "baseline": {
                "type": "object",
                "properties": {
                  "value": {
                    "type": "number"
                  },
                  "date": {
                    "type": "string"
                  }
                },
                "required": [
                  "value",
                  "date"
                ]
              },
              "target": {
                "type": "object",
                "properties": {
                  "value": {
                    "type": "number"
                  },
                  "fiscalYear": {
                    "type": "number"
                  },
                  "date": {
                    "type": "string"
                  }
                },
                "required": [
                  "value",
                  "fiscalYear",
                  "date"
                ]
              },
              "latest": {
                "type": "object",
                "properties": {
                  "month": {
                    "type": "string"
                  },
                  "value": {
                    "type": "number"
                  }
                },
                "required": [
                  "month",
                  "value"
                ],
                "nullable": true
              },
              "planned": {
                "type": "number",
                "nullable": true
              },
              "gap": {
                "type": "number",
                "nullable": true
              },
              "onTrack": {
                "type": "boolean",
                "nullable": true
              }
            },
            "required": [
              "code",
              "name",
              "unit",
              "direction",
              "baseline",
              "target",
              "latest",
              "planned",
              "gap",
              "onTrack"
            ]
          }
        }
      },
      "required": [
        "municipality",
        "fiscalYear",
        "kpis"
      ]
    },
    "PublicTicketDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "number": {
          "type": "string"
        },
        "serviceCode": {
          "type": "string"
        },
        "serviceName": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "status": {
          "type": "string"
        },
        "statusLabel": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "calledTo": {
          "allOf": [
            {
              "$ref": "#/components/schemas/CalledToDto"
            }
          ],
          "nullable": true
        },
        "peopleAhead": {
          "type": "number",
          "nullable": true
        },
        "estimatedWaitMinutes": {
          "type": "number",
          "nullable": true
        },
        "appointmentAt": {
          "type": "string",
          "nullable": true
        },
        "priority": {
          "type": "boolean"
        },
        "issuedAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "number",
        "serviceCode",
        "serviceName",
        "status",
        "statusLabel",
        "calledTo",
        "peopleAhead",
        "estimatedWaitMinutes",
        "appointmentAt",
        "priority",
        "issuedAt"
      ]
    },
    "PublishedDraftView": {
      "type": "object",
      "properties": {
        "draftId": {
          "type": "string"
        },
        "code": {
          "type": "string"
        },
        "version": {
          "type": "number"
        },
        "publishedBy": {
          "type": "string"
        },
        "publishedAt": {
          "type": "string"
        }
      },
      "required": [
        "draftId",
        "code",
        "version",
        "publishedBy",
        "publishedAt"
      ]
    },
    "QueueItemDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "procedureCode": {
          "type": "string"
        },
        "procedureName": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "referenceNumber": {
          "type": "string",
          "nullable": true
        },
        "state": {
          "type": "string"
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "channel": {
          "type": "string"
        },
        "submittedAt": {
          "type": "string"
        },
        "ageDays": {
          "type": "number"
        },
        "dueOn": {
          "type": "string",
          "nullable": true
        },
        "daysLeft": {
          "type": "number",
          "nullable": true
        },
        "overdue": {
          "type": "boolean"
        },
        "paused": {
          "type": "boolean"
        },
        "claimedBy": {
          "type": "string",
          "nullable": true
        },
        "updatedAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "procedureCode",
        "procedureName",
        "referenceNumber",
        "state",
        "status",
        "channel",
        "submittedAt",
        "ageDays",
        "dueOn",
        "daysLeft",
        "overdue",
        "paused",
        "claimedBy",
        "updatedAt"
      ]
    },
    "QueueStatusDto": {
      "type": "object",
      "properties": {
        "at": {
          "type": "string"
        },
        "crowding": {
          "$ref": "#/components/schemas/CrowdingDto"
        },
        "services": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ServiceStatusDto"
          }
        }
      },
      "required": [
        "at",
        "crowding",
        "services"
      ]
    },
    "RatesDto": {
      "type": "object",
      "properties": {
        "resident": {
          "type": "number"
        },
        "nonResident": {
          "type": "number"
        }
      },
      "required": [
        "resident",
        "nonResident"
      ]
    },
    "RatingTrailView": {
      "type": "object",
      "properties": {
        "counts": {
          "type": "object",
          "properties": {
            "advanced": {
              "type": "number"
            },
            "normal": {
              "type": "number"
            },
            "needsStudy": {
              "type": "number"
            },
            "behind": {
              "type": "number"
            },
            "total": {
              "type": "number"
            }
          },
          "required": [
            "advanced",
            "normal",
            "needsStudy",
            "behind",
            "total"
          ]
        },
        "fractions": {
          "type": "object",
          "properties": {
            "advancedAndNormalOfAll": {
              "type": "string"
            },
            "advancedOfAdvancedAndNormal": {
              "type": "string"
            },
            "shortfallOfAll": {
              "type": "string"
            },
            "behindOfShortfall": {
              "type": "string"
            }
          },
          "required": [
            "advancedAndNormalOfAll",
            "advancedOfAdvancedAndNormal",
            "shortfallOfAll",
            "behindOfShortfall"
          ]
        },
        "writtenMatches": {
          "type": "array",
          "items": {
            "type": "string",
            "enum": [
              "advanced",
              "good",
              "minorIssues",
              "deficient"
            ]
          }
        },
        "decision": {
          "type": "string",
          "enum": [
            "gap",
            "written",
            "lowestOfSeveral",
            "empty"
          ]
        },
        "reason": {
          "$ref": "#/components/schemas/LocalizedLabel"
        }
      },
      "required": [
        "counts",
        "fractions",
        "writtenMatches",
        "decision",
        "reason"
      ]
    },
    "ReceiptDto": {
      "type": "object",
      "properties": {
        "referenceNumber": {
          "type": "string"
        },
        "procedure": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "version": {
              "type": "number"
            },
            "name": {
              "type": "object",
              "properties": {
                "ja": {
                  "type": "string"
                },
                "en": {
                  "type": "string"
                }
              },
              "required": [
                "ja",
                "en"
              ]
            }
          },
          "required": [
            "code",
            "version",
            "name"
          ]
        },
        "channel": {
          "type": "string"
        },
        "submittedAt": {
          "type": "string"
        },
        "submittedOnWareki": {
          "type": "string"
        },
        "fee": {
          "type": "number",
          "nullable": true
        },
        "standardProcessingDays": {
          "type": "number",
          "nullable": true
        },
        "dueOn": {
          "type": "string",
          "nullable": true
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        }
      },
      "required": [
        "referenceNumber",
        "procedure",
        "channel",
        "submittedAt",
        "submittedOnWareki",
        "fee",
        "standardProcessingDays",
        "dueOn",
        "status"
      ]
    },
    "ReductionViewDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "label": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "percent": {
          "type": "number"
        }
      },
      "required": [
        "code",
        "label",
        "percent"
      ]
    },
    "RefundDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "amount": {
          "type": "number"
        },
        "status": {
          "type": "string",
          "enum": [
            "requested",
            "payableAtCounter",
            "succeeded",
            "failed"
          ]
        },
        "reason": {
          "type": "string"
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "amount",
        "status",
        "reason",
        "createdAt"
      ]
    },
    "RefusalGroup": {
      "type": "object",
      "properties": {
        "eventType": {
          "type": "string"
        },
        "fromState": {
          "type": "string"
        },
        "reason": {
          "type": "string",
          "enum": [
            "notAllowed",
            "conditionsNotMet",
            "approverNotQualified",
            "routeAlreadyComplete",
            "noPreviousStep",
            "unusableState"
          ]
        },
        "count": {
          "type": "number"
        },
        "examples": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "eventType",
        "fromState",
        "reason",
        "count",
        "examples"
      ]
    },
    "ResidentChangesDto": {
      "type": "object",
      "properties": {
        "lastSubmittedAt": {
          "type": "string",
          "nullable": true
        },
        "summary": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "changes": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/ResidentFieldChangeDto"
          }
        },
        "events": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/TimelineEntryDto"
          }
        },
        "sendBack": {
          "type": "object",
          "properties": {
            "fields": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "fields",
            "message"
          ],
          "nullable": true
        }
      },
      "required": [
        "lastSubmittedAt",
        "summary",
        "changes",
        "events",
        "sendBack"
      ]
    },
    "ResidentFieldChangeDto": {
      "type": "object",
      "properties": {
        "field": {
          "type": "string"
        },
        "label": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "before": {},
        "after": {},
        "flagged": {
          "type": "boolean"
        }
      },
      "required": [
        "field",
        "label",
        "before",
        "after",
        "flagged"
      ]
    },
    "RetentionPreviewDto": {
      "type": "object",
      "properties": {
        "asOf": {
          "type": "string"
        },
        "rows": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/RetentionPreviewRowDto"
          }
        },
        "heldCases": {
          "type": "number"
        }
      },
      "required": [
        "asOf",
        "rows",
        "heldCases"
      ]
    },
    "RetentionPreviewRowDto": {
      "type": "object",
      "properties": {
        "procedureCode": {
          "type": "string"
        },
        "category": {
          "type": "string"
        },
        "cases": {
          "type": "number"
        }
      },
      "required": [
        "procedureCode",
        "category",
        "cases"
      ]
    },
    "RoomAvailabilityDto": {
      "type": "object",
      "properties": {
        "room": {
          "type": "string"
        },
        "slots": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/SlotAvailabilityDto"
          }
        }
      },
      "required": [
        "room",
        "slots"
      ]
    },
    "RoomDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedTextDto"
        },
        "capacity": {
          "type": "number"
        },
        "rates": {
          "$ref": "#/components/schemas/RatesDto"
        }
      },
      "required": [
        "code",
        "name",
        "capacity",
        "rates"
      ]
    },
    "SendBackDto": {
      "type": "object",
      "properties": {
        "fields": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "message": {
          "type": "string"
        },
        "at": {
          "type": "string"
        }
      },
      "required": [
        "fields",
        "message",
        "at"
      ]
    },
    "SeriesPoint": {
      "type": "object",
      "properties": {
        "month": {
          "type": "string"
        },
        "online": {
          "type": "number",
          "nullable": true
        },
        "plan": {
          "type": "number"
        }
      },
      "required": [
        "month",
        "online",
        "plan"
      ]
    },
    "ServiceStatisticsDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "hours": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/HourStatisticsDto"
          }
        },
        "tickets": {
          "type": "number"
        },
        "called": {
          "type": "number"
        },
        "served": {
          "type": "number"
        },
        "noShows": {
          "type": "number"
        },
        "cancelled": {
          "type": "number"
        },
        "noShowRate": {
          "type": "number",
          "nullable": true
        },
        "averageWaitSeconds": {
          "type": "number",
          "nullable": true
        },
        "averageServiceSeconds": {
          "type": "number",
          "nullable": true
        }
      },
      "required": [
        "code",
        "name",
        "hours",
        "tickets",
        "called",
        "served",
        "noShows",
        "cancelled",
        "noShowRate",
        "averageWaitSeconds",
        "averageServiceSeconds"
      ]
    },
    "ServiceStatusDto": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/components/schemas/LocalizedNameDto"
        },
        "ticketPrefix": {
          "type": "string"
        },
        "nowServing": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/NowServingDto"
          }
        },
        "waiting": {
          "type": "number"
        },
        "countersOpen": {
          "type": "number"
        },
        "medianServiceSeconds": {
          "type": "number",
          "nullable": true
        },
        "estimatedWaitMinutes": {
          "type": "number",
          "nullable": true
        },
        "crowding": {
          "$ref": "#/components/schemas/CrowdingDto"
        }
      },
      "required": [
        "code",
        "name",
        "ticketPrefix",
        "nowServing",
        "waiting",
        "countersOpen",
        "medianServiceSeconds",
        "estimatedWaitMinutes",
        "crowding"
      ]
    },
    "SlotAvailabilityDto": {
      "type": "object",
      "properties": {
        "start": {
          "type": "string"
        },
        "end": {
          "type": "string"
        },
        "status": {
          "type": "string",
          "enum": [
            "free",
            "held",
            "booked",
            "blocked",
            "lottery",
            "closed"
          ]
        }
      },
      "required": [
        "start",
        "end",
        "status"
      ]
    },
    "SlotDto": {
      "type": "object",
      "properties": {
        "start": {
          "type": "string"
        },
        "end": {
          "type": "string"
        }
      },
      "required": [
        "start",
        "end"
      ]
    },
    "SlotDto2": {
      "type": "object",
      "properties": {
        "at": {
          "type": "string"
        },
        "remaining": {
          "type": "number"
        }
      },
      "required": [
        "at",
        "remaining"
      ]
    },
    "StaffBookingDto": {
      "type": "object",
      "properties": {
        "holderKind": {
          "type": "string"
        },
        "organizerName": {
          "type": "string",
          "nullable": true
        },
        "purpose": {
          "type": "string",
          "nullable": true
        },
        "attendees": {
          "type": "number",
          "nullable": true
        },
        "needsAttention": {
          "type": "boolean"
        },
        "attentionReason": {
          "type": "string",
          "nullable": true
        },
        "useMarkedAt": {
          "type": "string",
          "nullable": true
        },
        "id": {
          "type": "string"
        },
        "bookingNumber": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "facility": {
          "$ref": "#/components/schemas/NamedCodeDto"
        },
        "room": {
          "$ref": "#/components/schemas/NamedCodeDto"
        },
        "date": {
          "type": "string"
        },
        "slots": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/SlotDto"
          }
        },
        "channel": {
          "type": "string"
        },
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "expiresAt": {
          "type": "string",
          "nullable": true
        },
        "fee": {
          "allOf": [
            {
              "$ref": "#/components/schemas/BookingFeeDto"
            }
          ],
          "nullable": true
        },
        "cancellation": {
          "allOf": [
            {
              "$ref": "#/components/schemas/BookingCancellationDto"
            }
          ],
          "nullable": true
        },
        "useOutcome": {
          "type": "string",
          "nullable": true
        },
        "createdAt": {
          "type": "string"
        }
      },
      "required": [
        "holderKind",
        "organizerName",
        "purpose",
        "attendees",
        "needsAttention",
        "attentionReason",
        "useMarkedAt",
        "id",
        "bookingNumber",
        "status",
        "facility",
        "room",
        "date",
        "slots",
        "channel",
        "applicationId",
        "expiresAt",
        "fee",
        "cancellation",
        "useOutcome",
        "createdAt"
      ]
    },
    "StaffDocumentDto": {
      "type": "object",
      "properties": {
        "replaces": {
          "type": "string",
          "nullable": true
        },
        "revokedBy": {
          "type": "string",
          "nullable": true
        },
        "revokedReason": {
          "type": "string",
          "nullable": true
        },
        "issuedBy": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "id": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "kind",
            "id"
          ]
        },
        "id": {
          "type": "string"
        },
        "applicationId": {
          "type": "string"
        },
        "kind": {
          "type": "string"
        },
        "title": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "serial": {
          "type": "string"
        },
        "issuedAt": {
          "type": "string"
        },
        "issuedOnWareki": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "revokedAt": {
          "type": "string",
          "nullable": true
        },
        "replacedBy": {
          "type": "string",
          "nullable": true
        },
        "verificationCode": {
          "type": "string"
        },
        "sha256": {
          "type": "string"
        },
        "byteSize": {
          "type": "number"
        },
        "verifyUrl": {
          "type": "string"
        },
        "downloadPath": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "replaces",
        "revokedBy",
        "revokedReason",
        "issuedBy",
        "id",
        "applicationId",
        "kind",
        "title",
        "serial",
        "issuedAt",
        "issuedOnWareki",
        "status",
        "revokedAt",
        "replacedBy",
        "verificationCode",
        "sha256",
        "byteSize",
        "verifyUrl",
        "downloadPath"
      ]
    },
    "StaffDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "loginId": {
          "type": "string"
        },
        "displayName": {
          "type": "string"
        },
        "roles": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "approvalLevel": {
          "type": "string",
          "nullable": true
        },
        "departments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "totpEnabled": {
          "type": "boolean"
        },
        "active": {
          "type": "boolean"
        }
      },
      "required": [
        "id",
        "loginId",
        "displayName",
        "roles",
        "approvalLevel",
        "departments",
        "totpEnabled",
        "active"
      ]
    },
    "StaffRefDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "name": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "id",
        "name"
      ]
    },
    "StageCount": {
      "type": "object",
      "properties": {
        "stage": {
          "type": "string"
        },
        "label": {
          "$ref": "#/components/schemas/Localized"
        },
        "count": {
          "type": "number"
        }
      },
      "required": [
        "stage",
        "label",
        "count"
      ]
    },
    "StateChangeGroup": {
      "type": "object",
      "properties": {
        "recordedState": {
          "type": "string"
        },
        "replayedState": {
          "type": "string"
        },
        "count": {
          "type": "number"
        },
        "examples": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "recordedState",
        "replayedState",
        "count",
        "examples"
      ]
    },
    "StepDto": {
      "type": "object",
      "properties": {
        "index": {
          "type": "number"
        },
        "kind": {
          "type": "string"
        },
        "level": {
          "type": "string",
          "nullable": true
        },
        "departments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "addedByRule": {
          "type": "object",
          "properties": {},
          "additionalProperties": true,
          "nullable": true
        }
      },
      "required": [
        "index",
        "kind",
        "level",
        "departments",
        "addedByRule"
      ]
    },
    "SubmissionDiffDto": {
      "type": "object",
      "properties": {
        "from": {
          "allOf": [
            {
              "$ref": "#/components/schemas/SubmissionRefDto"
            }
          ],
          "nullable": true
        },
        "to": {
          "allOf": [
            {
              "$ref": "#/components/schemas/SubmissionRefDto"
            }
          ],
          "nullable": true
        },
        "changes": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/FieldChangeDto"
          }
        },
        "sendBack": {
          "allOf": [
            {
              "$ref": "#/components/schemas/SendBackDto"
            }
          ],
          "nullable": true
        }
      },
      "required": [
        "from",
        "to",
        "changes",
        "sendBack"
      ]
    },
    "SubmissionRefDto": {
      "type": "object",
      "properties": {
        "revision": {
          "type": "number"
        },
        "submittedAt": {
          "type": "string"
        }
      },
      "required": [
        "revision",
        "submittedAt"
      ]
    },
    "TicketDetailDto": {
      "type": "object",
      "properties": {
        "events": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/TicketEventDto"
          }
        },
        "id": {
          "type": "string"
        },
        "number": {
          "type": "string"
        },
        "serviceCode": {
          "type": "string"
        },
        "issuedServiceCode": {
          "type": "string"
        },
        "serviceDay": {
          "type": "string"
        },
        "source": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "allowedActions": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "priorityReason": {
          "type": "string",
          "nullable": true
        },
        "appointmentAt": {
          "type": "string",
          "nullable": true
        },
        "queuedAt": {
          "type": "string"
        },
        "counterId": {
          "type": "string",
          "nullable": true
        },
        "assignedCounterId": {
          "type": "string",
          "nullable": true
        },
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "callCount": {
          "type": "number"
        },
        "calledAt": {
          "type": "string",
          "nullable": true
        },
        "servingStartedAt": {
          "type": "string",
          "nullable": true
        },
        "closedAt": {
          "type": "string",
          "nullable": true
        },
        "issuedAt": {
          "type": "string"
        }
      },
      "required": [
        "events",
        "id",
        "number",
        "serviceCode",
        "issuedServiceCode",
        "serviceDay",
        "source",
        "status",
        "allowedActions",
        "priorityReason",
        "appointmentAt",
        "queuedAt",
        "counterId",
        "assignedCounterId",
        "applicationId",
        "callCount",
        "calledAt",
        "servingStartedAt",
        "closedAt",
        "issuedAt"
      ]
    },
    "TicketDto": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "number": {
          "type": "string"
        },
        "serviceCode": {
          "type": "string"
        },
        "issuedServiceCode": {
          "type": "string"
        },
        "serviceDay": {
          "type": "string"
        },
        "source": {
          "type": "string"
        },
        "status": {
          "type": "string"
        },
        "allowedActions": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "priorityReason": {
          "type": "string",
          "nullable": true
        },
        "appointmentAt": {
          "type": "string",
          "nullable": true
        },
        "queuedAt": {
          "type": "string"
        },
        "counterId": {
          "type": "string",
          "nullable": true
        },
        "assignedCounterId": {
          "type": "string",
          "nullable": true
        },
        "applicationId": {
          "type": "string",
          "nullable": true
        },
        "callCount": {
          "type": "number"
        },
        "calledAt": {
          "type": "string",
          "nullable": true
        },
        "servingStartedAt": {
          "type": "string",
          "nullable": true
        },
        "closedAt": {
          "type": "string",
          "nullable": true
        },
        "issuedAt": {
          "type": "string"
        }
      },
      "required": [
        "id",
        "number",
        "serviceCode",
        "issuedServiceCode",
        "serviceDay",
        "source",
        "status",
        "allowedActions",
        "priorityReason",
        "appointmentAt",
        "queuedAt",
        "counterId",
        "assignedCounterId",
        "applicationId",
        "callCount",
        "calledAt",
        "servingStartedAt",
        "closedAt",
        "issuedAt"
      ]
    },
    "TicketEventDto": {
      "type": "object",
      "properties": {
        "seq": {
          "type": "number"
        },
        "type": {
          "type": "string"
        },
        "fromStatus": {
          "type": "string",
          "nullable": true
        },
        "toStatus": {
          "type": "string"
        },
        "serviceCode": {
          "type": "string"
        },
        "counterId": {
          "type": "string",
          "nullable": true
        },
        "actor": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "id": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "kind",
            "id"
          ]
        },
        "at": {
          "type": "string"
        }
      },
      "required": [
        "seq",
        "type",
        "fromStatus",
        "toStatus",
        "serviceCode",
        "counterId",
        "actor",
        "at"
      ]
    },
    "TimelineEntryDto": {
      "type": "object",
      "properties": {
        "at": {
          "type": "string"
        },
        "event": {
          "type": "string"
        },
        "description": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        },
        "status": {
          "type": "object",
          "properties": {
            "ja": {
              "type": "string"
            },
            "en": {
              "type": "string"
            }
          },
          "required": [
            "ja",
            "en"
          ]
        }
      },
      "required": [
        "at",
        "event",
        "description",
        "status"
      ]
    },
    "TokensDto": {
      "type": "object",
      "properties": {
        "accessToken": {
          "type": "string",
          "nullable": true
        },
        "accessExpiresAt": {
          "type": "string"
        },
        "refreshToken": {
          "type": "string",
          "nullable": true
        },
        "refreshExpiresAt": {
          "type": "string",
          "nullable": true
        },
        "csrfToken": {
          "type": "string",
          "nullable": true
        }
      },
      "required": [
        "accessToken",
        "accessExpiresAt",
        "refreshToken",
        "refreshExpiresAt",
        "csrfToken"
      ]
    },
    "VerificationResultDto": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string",
          "enum": [
            "valid",
            "revoked",
            "altered",
            "unknown"
          ]
        },
        "contentChecked": {
          "type": "boolean"
        },
        "message": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "document": {
          "allOf": [
            {
              "$ref": "#/components/schemas/VerifiedDocumentDto"
            }
          ],
          "nullable": true
        }
      },
      "required": [
        "status",
        "contentChecked",
        "message",
        "document"
      ]
    },
    "VerifiedDocumentDto": {
      "type": "object",
      "properties": {
        "title": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "serial": {
          "type": "string"
        },
        "issuer": {
          "$ref": "#/components/schemas/LocalizedTextDto2"
        },
        "issuedOn": {
          "type": "string"
        },
        "issuedOnWareki": {
          "type": "string"
        },
        "revokedOn": {
          "type": "string",
          "nullable": true
        },
        "fields": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/PrintedFieldDto"
          }
        }
      },
      "required": [
        "title",
        "serial",
        "issuer",
        "issuedOn",
        "issuedOnWareki",
        "revokedOn",
        "fields"
      ]
    },
    "WebhookAck": {
      "type": "object",
      "properties": {
        "received": {
          "type": "boolean"
        },
        "outcome": {
          "type": "string",
          "enum": [
            "advanced",
            "same",
            "stale",
            "refused",
            "duplicate"
          ]
        }
      },
      "required": [
        "received",
        "outcome"
      ]
    },
    "WorkQueuePageDto": {
      "type": "object",
      "properties": {
        "items": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/QueueItemDto"
          }
        },
        "nextCursor": {
          "type": "string",
          "nullable": true
        },
        "total": {
          "type": "number"
        }
      },
      "required": [
        "items",
        "nextCursor",
        "total"
      ]
    }
  },
  "operations": {
    "AccessLogController_list": {
      "$ref": "#/components/schemas/AccessLogPageDto"
    },
    "AccountClosureController_close": null,
    "AdminController_createDepartment": null,
    "AdminController_createStaff": {
      "type": "object",
      "properties": {
        "id": {
          "type": "string"
        },
        "loginId": {
          "type": "string"
        },
        "displayName": {
          "type": "string"
        },
        "roles": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "approvalLevel": {
          "type": "string",
          "nullable": true
        },
        "departments": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "totpEnabled": {
          "type": "boolean"
        },
        "active": {
          "type": "boolean"
        },
        "totp": {
          "type": "object",
          "properties": {
            "secret": {
              "type": "string"
            },
            "otpauthUri": {
              "type": "string"
            }
          },
          "required": [
            "secret",
            "otpauthUri"
          ]
        }
      },
      "required": [
        "id",
        "loginId",
        "displayName",
        "roles",
        "approvalLevel",
        "departments",
        "totpEnabled",
        "active"
      ]
    },
    "AdminController_getStaff": {
      "$ref": "#/components/schemas/StaffDto"
    },
    "AdminController_listAudit": {
      "$ref": "#/components/schemas/AuditPage"
    },
    "AdminController_listDepartments": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/Department"
      }
    },
    "AdminController_listLockedStaff": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/LockedStaffDto"
      }
    },
    "AdminController_listStaff": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/StaffDto"
      }
    },
    "AdminController_resetStaffTotp": {
      "type": "object",
      "properties": {
        "secret": {
          "type": "string"
        },
        "otpauthUri": {
          "type": "string"
        }
      },
      "required": [
        "secret",
        "otpauthUri"
      ]
    },
    "AdminController_unlockStaff": null,
    "AdminController_updateDepartment": null,
    "AdminController_updateStaff": {
      "$ref": "#/components/schemas/StaffDto"
    },
    "AdminController_verifyAudit": {
      "$ref": "#/components/schemas/AuditVerification"
    },
    "ApprovalsController_approve": {
      "$ref": "#/components/schemas/ApprovalViewDto"
    },
    "ApprovalsController_createDelegation": {
      "$ref": "#/components/schemas/DelegationDto"
    },
    "ApprovalsController_listDelegations": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/DelegationDto"
      }
    },
    "ApprovalsController_pending": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/PendingApprovalDto"
      }
    },
    "ApprovalsController_reject": {
      "$ref": "#/components/schemas/ApprovalViewDto"
    },
    "ApprovalsController_return": {
      "$ref": "#/components/schemas/ApprovalViewDto"
    },
    "ApprovalsController_revokeDelegation": null,
    "ApprovalsController_view": {
      "$ref": "#/components/schemas/ApprovalViewDto"
    },
    "AuthController_beginTotp": {
      "type": "object",
      "properties": {
        "secret": {
          "type": "string"
        },
        "otpauthUri": {
          "type": "string"
        }
      },
      "required": [
        "secret",
        "otpauthUri"
      ]
    },
    "AuthController_changePassword": null,
    "AuthController_confirmPasswordReset": null,
    "AuthController_confirmTotp": null,
    "AuthController_logout": null,
    "AuthController_me": {
      "type": "object",
      "properties": {},
      "additionalProperties": true
    },
    "AuthController_refresh": {
      "$ref": "#/components/schemas/TokensDto"
    },
    "AuthController_register": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string"
        }
      },
      "required": [
        "status"
      ]
    },
    "AuthController_requestPasswordReset": {
      "type": "object",
      "properties": {
        "status": {
          "type": "string"
        }
      },
      "required": [
        "status"
      ]
    },
    "AuthController_residentLogin": {
      "$ref": "#/components/schemas/TokensDto"
    },
    "AuthController_staffLogin": {
      "$ref": "#/components/schemas/TokensDto"
    },
    "AuthController_verifyEmail": null,
    "CaseWorkController_addNote": {
      "$ref": "#/components/schemas/NoteDto"
    },
    "CaseWorkController_assign": {
      "$ref": "#/components/schemas/ClaimDto"
    },
    "CaseWorkController_claim": {
      "$ref": "#/components/schemas/ClaimDto"
    },
    "CaseWorkController_diff": {
      "$ref": "#/components/schemas/SubmissionDiffDto"
    },
    "CaseWorkController_listNotes": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/NoteDto"
      }
    },
    "CaseWorkController_release": {
      "$ref": "#/components/schemas/ClaimDto"
    },
    "CashlessKpiController_cashless": {
      "$ref": "#/components/schemas/CashlessKpiDto"
    },
    "CounterAdminController_createCounter": {
      "$ref": "#/components/schemas/CounterDto"
    },
    "CounterAdminController_createService": {
      "$ref": "#/components/schemas/CounterServiceDto"
    },
    "CounterAdminController_getCounter": {
      "$ref": "#/components/schemas/CounterDto"
    },
    "CounterAdminController_listCounters": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/CounterDto"
      }
    },
    "CounterAdminController_listServices": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/CounterServiceDto"
      }
    },
    "CounterAdminController_retireCounter": null,
    "CounterAdminController_retireService": null,
    "CounterAdminController_updateCounter": {
      "$ref": "#/components/schemas/CounterDto"
    },
    "CounterAdminController_updateService": {
      "$ref": "#/components/schemas/CounterServiceDto"
    },
    "CounterBookingsController_book": {
      "$ref": "#/components/schemas/BookingDto2"
    },
    "CounterBookingsController_cancel": {
      "$ref": "#/components/schemas/BookingDto2"
    },
    "CounterBookingsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/BookingDto2"
      }
    },
    "CounterBookingsHoldController_hold": {
      "$ref": "#/components/schemas/BookingDto"
    },
    "CounterDeskController_callNext": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_counters": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/CounterDto"
      }
    },
    "CounterDeskController_finish": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_issueTicket": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_linkApplication": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_noShow": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_queue": {
      "$ref": "#/components/schemas/CounterQueueDto"
    },
    "CounterDeskController_recall": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_setOpen": {
      "$ref": "#/components/schemas/CounterDto"
    },
    "CounterDeskController_start": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterDeskController_ticket": {
      "$ref": "#/components/schemas/TicketDetailDto"
    },
    "CounterDeskController_transfer": {
      "$ref": "#/components/schemas/TicketDto"
    },
    "CounterEntryController_confirmIdentity": {
      "$ref": "#/components/schemas/IdentityCheckDto"
    },
    "CounterEntryController_create": {
      "$ref": "#/components/schemas/CounterApplicationDto"
    },
    "CounterEntryController_get": {
      "$ref": "#/components/schemas/CounterApplicationDto"
    },
    "CounterEntryController_openHandover": {
      "$ref": "#/components/schemas/CounterApplicationDto"
    },
    "CounterEntryController_submit": {
      "$ref": "#/components/schemas/CounterApplicationDto"
    },
    "CounterEntryController_updateForm": {
      "$ref": "#/components/schemas/CounterApplicationDto"
    },
    "CounterPaymentsController_paidOut": {
      "$ref": "#/components/schemas/CounterRefundDto"
    },
    "CounterPaymentsController_record": {
      "$ref": "#/components/schemas/CounterPaymentDto"
    },
    "CounterPublicController_kiosk": {
      "$ref": "#/components/schemas/PublicTicketDto"
    },
    "CounterPublicController_queueStatus": {
      "$ref": "#/components/schemas/QueueStatusDto"
    },
    "CounterPublicController_slots": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/SlotDto2"
      }
    },
    "CounterPublicController_ticket": {
      "$ref": "#/components/schemas/PublicTicketDto"
    },
    "CounterStatisticsController_report": {
      "$ref": "#/components/schemas/CounterStatisticsDto"
    },
    "DashboardController_cashless": {
      "$ref": "#/components/schemas/CashlessDashboard"
    },
    "DashboardController_channels": {
      "$ref": "#/components/schemas/ChannelsDashboard"
    },
    "DashboardController_counter": {
      "$ref": "#/components/schemas/CounterDashboard"
    },
    "DashboardController_onlineProcedures": {
      "$ref": "#/components/schemas/OnlineProceduresDashboard"
    },
    "DashboardController_processingTimes": {
      "$ref": "#/components/schemas/ProcessingTimesDashboard"
    },
    "EvaluationController_areas": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/EvaluationAreaView"
      }
    },
    "EvaluationController_createArea": {
      "$ref": "#/components/schemas/EvaluationAreaView"
    },
    "EvaluationController_saveArea": {
      "$ref": "#/components/schemas/AreaEvaluationView"
    },
    "EvaluationController_year": {
      "$ref": "#/components/schemas/EvaluationYearView"
    },
    "FacilitiesAdminController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/AdminFacilityDto"
      }
    },
    "FacilitiesAdminController_put": {
      "$ref": "#/components/schemas/AdminFacilityDto"
    },
    "FacilitiesPublicController_availabilityOf": {
      "$ref": "#/components/schemas/AvailabilityDto"
    },
    "FacilitiesPublicController_get": {
      "$ref": "#/components/schemas/FacilityDto"
    },
    "FacilitiesPublicController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/FacilityDto"
      }
    },
    "FacilityDeskController_block": {
      "$ref": "#/components/schemas/BlockResultDto"
    },
    "FacilityDeskController_cancel": {
      "$ref": "#/components/schemas/StaffBookingDto"
    },
    "FacilityDeskController_day": {
      "$ref": "#/components/schemas/DayListDto"
    },
    "FacilityDeskController_liftBlock": {
      "$ref": "#/components/schemas/BlockDto"
    },
    "FacilityDeskController_markUse": {
      "$ref": "#/components/schemas/StaffBookingDto"
    },
    "FacilityDeskController_resolveAttention": {
      "$ref": "#/components/schemas/StaffBookingDto"
    },
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
    },
    "IndividualNumberController_reveal": {
      "type": "object",
      "properties": {
        "individualNumber": {
          "type": "string"
        }
      },
      "required": [
        "individualNumber"
      ]
    },
    "IndividualNumberController_store": {
      "type": "object",
      "properties": {
        "masked": {
          "type": "string"
        }
      },
      "required": [
        "masked"
      ]
    },
    "JpkiController_login": {
      "$ref": "#/components/schemas/TokensDto"
    },
    "JpkiController_nonce": {
      "type": "object",
      "properties": {
        "nonce": {
          "type": "string"
        },
        "expiresAt": {
          "type": "string"
        }
      },
      "required": [
        "nonce",
        "expiresAt"
      ]
    },
    "JpkiController_uploadCrl": {
      "type": "object",
      "properties": {
        "issuer": {
          "type": "string"
        },
        "thisUpdate": {
          "type": "string"
        },
        "nextUpdate": {
          "type": "string",
          "nullable": true
        },
        "added": {
          "type": "boolean"
        }
      },
      "required": [
        "issuer",
        "thisUpdate",
        "nextUpdate",
        "added"
      ]
    },
    "KpiController_onlineProcedures": {
      "$ref": "#/components/schemas/OnlineProceduresKpiDto"
    },
    "KpisAdminController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/AdminKpi"
      }
    },
    "KpisAdminController_put": {
      "$ref": "#/components/schemas/AdminKpi"
    },
    "KpisController_detail": {
      "$ref": "#/components/schemas/KpiDetail"
    },
    "KpisController_enter": {
      "$ref": "#/components/schemas/KpiDetail"
    },
    "KpisController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/KpiCard"
      }
    },
    "LegalHoldController_place": {
      "$ref": "#/components/schemas/LegalHoldStatusDto"
    },
    "LegalHoldController_release": {
      "$ref": "#/components/schemas/LegalHoldStatusDto"
    },
    "LotteriesPublicController_draw": {
      "$ref": "#/components/schemas/LotteryDrawDto"
    },
    "LotteriesPublicController_get": {
      "$ref": "#/components/schemas/LotteryDto"
    },
    "LotteriesPublicController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/LotteryDto"
      }
    },
    "LotteryEntriesController_enter": {
      "$ref": "#/components/schemas/LotteryEntryDto"
    },
    "LotteryEntriesController_mine": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/LotteryEntryDto"
      }
    },
    "LotteryEntriesController_withdraw": {
      "$ref": "#/components/schemas/LotteryEntryDto"
    },
    "LotteryStaffController_create": {
      "$ref": "#/components/schemas/LotteryDto"
    },
    "LotteryStaffController_draw": {
      "$ref": "#/components/schemas/LotteryDrawDto"
    },
    "NotificationsController_failed": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/FailedNotification"
      }
    },
    "OpenDataController_catalog": {
      "type": "object",
      "properties": {},
      "additionalProperties": true
    },
    "OpenDataController_json": {
      "$ref": "#/components/schemas/OpenDataTable"
    },
    "OpenDataController_progress": {
      "$ref": "#/components/schemas/PublicProgress"
    },
    "PaymentWebhooksController_receive": {
      "$ref": "#/components/schemas/WebhookAck"
    },
    "ProcedureDraftsController_create": {
      "$ref": "#/components/schemas/ProcedureDraftView"
    },
    "ProcedureDraftsController_diff": {
      "$ref": "#/components/schemas/ProcedureDiffView"
    },
    "ProcedureDraftsController_dryRun": {
      "$ref": "#/components/schemas/DryRunView"
    },
    "ProcedureDraftsController_get": {
      "$ref": "#/components/schemas/ProcedureDraftView"
    },
    "ProcedureDraftsController_publish": {
      "$ref": "#/components/schemas/PublishedDraftView"
    },
    "ProcedureDraftsController_update": {
      "$ref": "#/components/schemas/ProcedureDraftView"
    },
    "ProceduresController_detail": {
      "$ref": "#/components/schemas/ProcedureDetailDto"
    },
    "ProceduresController_search": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/ProcedureSummaryDto"
      }
    },
    "ResidentApplicationsController_changes": {
      "$ref": "#/components/schemas/ResidentChangesDto"
    },
    "ResidentApplicationsController_correct": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_create": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_discard": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_get": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/ApplicationSummaryDto"
      }
    },
    "ResidentApplicationsController_listAttachments": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/AttachmentDto"
      }
    },
    "ResidentApplicationsController_receipt": {
      "$ref": "#/components/schemas/ReceiptDto"
    },
    "ResidentApplicationsController_removeAttachment": null,
    "ResidentApplicationsController_resubmit": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_reuse": {
      "$ref": "#/components/schemas/AttachmentDto"
    },
    "ResidentApplicationsController_sign": {
      "type": "object",
      "properties": {
        "contentHash": {
          "type": "string"
        },
        "basic4": {}
      },
      "required": [
        "contentHash",
        "basic4"
      ]
    },
    "ResidentApplicationsController_signingContent": {
      "type": "object",
      "properties": {
        "content": {
          "type": "object",
          "properties": {},
          "additionalProperties": true
        },
        "contentHash": {
          "type": "string"
        }
      },
      "required": [
        "content",
        "contentHash"
      ]
    },
    "ResidentApplicationsController_submit": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_timeline": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/TimelineEntryDto"
      }
    },
    "ResidentApplicationsController_updateForm": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentApplicationsController_upload": {
      "$ref": "#/components/schemas/AttachmentDto"
    },
    "ResidentApplicationsController_withdraw": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "ResidentAttachmentsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/AttachmentDto"
      }
    },
    "ResidentBookingsController_cancel": {
      "$ref": "#/components/schemas/BookingDto"
    },
    "ResidentBookingsController_cancellation": {
      "$ref": "#/components/schemas/CancellationQuoteDto"
    },
    "ResidentBookingsController_get": {
      "$ref": "#/components/schemas/BookingDto"
    },
    "ResidentBookingsController_hold": {
      "$ref": "#/components/schemas/BookingDto"
    },
    "ResidentBookingsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/BookingDto"
      }
    },
    "ResidentDecisionsController_decision": {
      "$ref": "#/components/schemas/GrantDecisionDto"
    },
    "ResidentDocumentsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/DocumentDto"
      }
    },
    "ResidentHandoverController_handover": {
      "$ref": "#/components/schemas/HandoverDto"
    },
    "ResidentPaymentsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/PaymentDto"
      }
    },
    "ResidentPaymentsController_start": {
      "$ref": "#/components/schemas/PaymentDto"
    },
    "RetentionAdminController_preview": {
      "$ref": "#/components/schemas/RetentionPreviewDto"
    },
    "StaffApplicationsController_event": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "StaffApplicationsController_get": {
      "$ref": "#/components/schemas/ApplicationDto"
    },
    "StaffApplicationsController_queue": {
      "$ref": "#/components/schemas/WorkQueuePageDto"
    },
    "StaffApplicationsController_revealIndividualNumber": {
      "type": "object",
      "properties": {
        "individualNumber": {
          "type": "string"
        }
      },
      "required": [
        "individualNumber"
      ]
    },
    "StaffApplicationsController_signature": {
      "$ref": "#/components/schemas/JpkiReverification"
    },
    "StaffDocumentsController_list": {
      "type": "array",
      "items": {
        "$ref": "#/components/schemas/StaffDocumentDto"
      }
    },
    "StaffDocumentsController_reissue": {
      "$ref": "#/components/schemas/StaffDocumentDto"
    },
    "StaffDocumentsController_revoke": {
      "$ref": "#/components/schemas/StaffDocumentDto"
    },
    "StaffPaymentsController_refund": {
      "$ref": "#/components/schemas/RefundDto"
    },
    "VerificationController_form": {
      "type": "string"
    },
    "VerificationController_page": {
      "type": "string"
    },
    "VerificationController_verify": {
      "$ref": "#/components/schemas/VerificationResultDto"
    }
  }
};
