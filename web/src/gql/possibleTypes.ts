
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "DeleteResult": [
      "DeletedProduct",
      "OperationInfo"
    ],
    "Node": [
      "Notification",
      "Product"
    ],
    "ProductResult": [
      "OperationInfo",
      "Product"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "DeleteResult": [
      "DeletedProduct",
      "OperationInfo"
    ],
    "Node": [
      "Notification",
      "Product"
    ],
    "ProductResult": [
      "OperationInfo",
      "Product"
    ]
  }
};
      export default result;
    