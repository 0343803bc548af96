// YAML's parser produces and its emitter takes `Values`; a module that reads YAML reads them.
@_exported public import Values
