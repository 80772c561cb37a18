-- Neovim as a real LSP client with its default settings (debounced didChange, no
-- nixNur/saveDocument): pins an input of the open flake.nix, saves the buffer with :w, unpins it,
-- saves again, and prints `RESULT {...}` with what the buffer held and what the server answered.
-- The file must never change behind the buffer: a :w then stops at "The file has been changed
-- since reading it", which in headless Neovim waits for ever (the test's timeout fails it).
local rev = os.getenv('NIX_NUR_PIN_REV')
local here = debug.getinfo(1, 'S').source:sub(2):match('(.*/)')
local support = dofile(here .. 'client-support.lua')
local emit, finish = support.emit, support.finish

-- Default settings: nothing but what every client configuration names.
local bufnr, client_id = support.start()
if not client_id then return end
local uri = vim.uri_from_bufnr(bufnr)
local result = {}
local function buffer_text() return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') end

local function command(name, args, after)
  local client = vim.lsp.get_client_by_id(client_id)
  client.request('workspace/executeCommand', { command = name, arguments = { args } }, function(err, answer)
    if err then emit('ERROR ' .. name .. ': ' .. vim.inspect(err)); finish(4); return end
    after(answer)
  end, bufnr)
end

-- Saves the buffer as a user would, then gives the debounced didChange/didSave time to arrive.
local function save(after)
  vim.cmd('write')
  vim.defer_fn(after, 500)
end

support.when_ready(client_id, function() return true end, function()
  -- The pin is the buffer's first change since attach.
  command('nixNur.flake.pin', { flake = uri, input = 'dep', rev = rev }, function(pinned)
    result.pinned = pinned
    result.afterPin = buffer_text()
    result.modifiedAfterPin = vim.bo[bufnr].modified
    save(function()
      command('nixNur.flake.unpin', { flake = uri, input = 'dep' }, function(unpinned)
        result.unpinned = unpinned
        result.afterUnpin = buffer_text()
        save(function()
          result.modifiedAtEnd = vim.bo[bufnr].modified
          emit('RESULT ' .. vim.fn.json_encode(result))
          vim.lsp.get_client_by_id(client_id).stop()
          finish(0)
        end)
      end)
    end)
  end)
end)
